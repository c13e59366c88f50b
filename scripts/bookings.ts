/**
 * The booking requests the bot kept, for the clinic's staff: open ones (pending, or refused by the
 * booking system) first, then the latest finished ones. It prints patients' contact details on
 * purpose, being the staff's own tool on the clinic's machine; nothing here goes to the bot's logs.
 * Usage: npm run bookings [-- --status pending|held|delivered|rejected] [--all] [--csv]
 *        npm run bookings -- --handled <request id>
 *        npm run bookings -- --release <request id>
 * Exit codes: 0 ok, 1 bad arguments or unknown request id, 2 the store cannot be opened.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  findByIdPrefix,
  formatBookingListing,
  formatClinicTime,
  formatCsv,
  isTimeZone,
  selectBookings,
  SHORT_ID_LENGTH,
  shortId,
  statusLabel,
  terminalSafe,
  toBookingRow,
} from '../core/booking/bookingExport';
import { BOOKING_STATUSES, BookingOutbox, BookingStatus, OutboxRecord } from '../core/booking/outbox';
import { AppConfig, loadConfig } from '../core/config';
import { ClinicSchema } from '../core/content/schemas';
import { KeyValueStore } from '../core/storage/keyValueStore';
import { createStorage } from '../bot/storage';
import { readBookingRecords } from '../core/booking/bookingRecords';

const USAGE = `The booking requests the bot kept, for staff to call patients back.

Usage:
  npm run bookings                      open requests, then the latest finished ones
  npm run bookings -- --status pending  only pending (or delivered, or rejected) requests
  npm run bookings -- --all             also the requests already marked handled
  npm run -s bookings -- --csv > bookings.csv
                                        the same list as CSV for a spreadsheet (all fields,
                                        full request id, note, screening outcome; UTF-8)
  npm run bookings -- --handled <id>    mark a request as dealt with (the id or its first
                                        characters, as shown in the "id" column)
  npm run bookings -- --release <id>    send a HELD request to the booking system after all

Status:
  pending    kept by the bot; no booking system has accepted it yet (with no
             BOOKING_ENDPOINT_URL configured, every request stays pending: call the patient)
  HELD       older than BOOKING_RELEASE_OLDER_THAN_HOURS when a booking system was first
             configured: not sent unless you release it (--release), or mark it --handled
  delivered  the clinic's booking system accepted it (its reference is shown)
  REJECTED   the booking system refused it for good: call the patient and book by hand

The store is the one the bot uses (DATA_DIR). Exit codes: 0 ok, 1 bad arguments or unknown id,
2 the store cannot be opened.`;

/** Finished requests shown in the table; the CSV lists them all. */
const FINISHED_IN_TABLE = 20;

class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

interface Options {
  csv: boolean;
  all: boolean;
  status?: BookingStatus;
  handled?: string;
  release?: string;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      csv: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      status: { type: 'string' },
      handled: { type: 'string' },
      release: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const status = BOOKING_STATUSES.find((s) => s === values.status?.toLowerCase());
  if (values.status !== undefined && !status) throw new Error(`--status must be one of ${BOOKING_STATUSES.join(', ')}`);
  for (const [flag, value] of [
    ['--handled', values.handled],
    ['--release', values.release],
  ] as const) {
    if (value === undefined) continue;
    if (values.csv || values.all || status || (values.handled !== undefined && values.release !== undefined))
      throw new Error(`${flag} goes on its own`);
    if (value.trim() === '') throw new Error(`${flag} needs a request id`);
  }
  return { csv: values.csv, all: values.all, status, handled: values.handled, release: values.release };
}

/** Opens the store the bot keeps its state in: the embedded sqlite file. */
/** Opens the store the bot uses (STATE_STORE, SQLITE_PATH or the Azure container), read as the bot reads it. */
function openStore(config: AppConfig): { storage: KeyValueStore; where: string; close(): void } {
  const { state } = config;
  if (state.store === 'memory')
    throw new StoreUnavailable('STATE_STORE=memory keeps nothing outside the bot process; nothing to list');
  // Opening a missing sqlite file would create an empty store and show "no requests".
  if (state.store === 'sqlite' && !fs.existsSync(state.sqlitePath)) {
    throw new StoreUnavailable(
      `there is no store at ${state.sqlitePath} (has the bot run with this DATA_DIR / SQLITE_PATH?)`,
    );
  }
  const opened = createStorage(state);
  const where = state.store === 'sqlite' ? state.sqlitePath : `Azure Blob container "${state.container}"`;
  return { storage: opened.storage, where, close: () => opened.close() };
}

/** The clinic's time zone from content/clinic.yaml, when it names one this machine knows. */
function clinicTimeZone(contentDir: string): string | undefined {
  try {
    const parsed = ClinicSchema.pick({ timeZone: true }).safeParse(
      parseYaml(fs.readFileSync(path.join(contentDir, 'clinic.yaml'), 'utf8')),
    );
    return parsed.success && isTimeZone(parsed.data.timeZone) ? parsed.data.timeZone : undefined;
  } catch {
    return undefined;
  }
}

/** The one request `idOrPrefix` names, or undefined after saying why there is none. */
function pickRequest(records: OutboxRecord[], idOrPrefix: string): OutboxRecord | undefined {
  if (idOrPrefix.trim().length < SHORT_ID_LENGTH) {
    console.error(`Give at least the ${SHORT_ID_LENGTH} characters shown in the "id" column (you gave ${idOrPrefix}).`);
    return undefined;
  }
  const matches = findByIdPrefix(records, idOrPrefix);
  if (matches.length === 0) {
    console.error(`No booking request has the id ${idOrPrefix}. Run npm run bookings -- --all to see them.`);
    return undefined;
  }
  if (matches.length > 1) {
    console.error(`${idOrPrefix} matches ${matches.length} requests; give more of the id:`);
    for (const r of matches) console.error(`  ${r.request.requestId}  ${r.createdAt}  ${statusLabel(r)}`);
    return undefined;
  }
  return matches[0];
}

/** Lets the relay send a held request: the bot picks it up on its next pass over pending ones. */
async function release(outbox: BookingOutbox, records: OutboxRecord[], idOrPrefix: string): Promise<number> {
  const found = pickRequest(records, idOrPrefix);
  if (!found) return 1;
  const id = found.request.requestId;
  const name = terminalSafe(found.request.patient.name);
  if (found.status !== 'held' || found.handledAt) {
    console.error(`${shortId(id)} (${name}) is not held (${statusLabel(found)}): nothing to release.`);
    return 1;
  }
  const record = await outbox.release(id);
  if (record?.status !== 'pending') {
    console.error(`The booking request ${id} changed while it was being released: run npm run bookings again.`);
    return 1;
  }
  console.log(
    `Released: ${shortId(id)} (${name}) is pending again. ` +
      'The bot sends it to the booking system on its next pass (every BOOKING_SWEEP_MS).',
  );
  return 0;
}

async function markHandled(
  outbox: BookingOutbox,
  records: OutboxRecord[],
  idOrPrefix: string,
  timeZone: string | undefined,
): Promise<number> {
  const found = pickRequest(records, idOrPrefix);
  if (!found) return 1;
  const id = found.request.requestId;
  if (found.handledAt) {
    console.log(
      `${shortId(id)} (${terminalSafe(found.request.patient.name)}) was already marked handled ` +
        `on ${formatClinicTime(found.handledAt, timeZone)}.`,
    );
    return 0;
  }
  const record = await outbox.markHandled(id);
  if (!record) {
    console.error(`The booking request ${id} disappeared while it was being marked.`);
    return 1;
  }
  console.log(
    `Marked handled: ${shortId(id)} (${terminalSafe(record.request.patient.name)}), ${record.status}. ` +
      'It is no longer listed as open.',
  );
  if (record.status === 'pending' || record.status === 'held')
    console.log('The bot will not send it to a booking system any more.');
  return 0;
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 1;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }

  let opened: ReturnType<typeof openStore>;
  let config: AppConfig;
  try {
    // A staff tool needs no bot credentials: validate the rest of the configuration as in development.
    config = loadConfig({ ...process.env, NODE_ENV: 'development', MicrosoftAppId: '' });
    opened = openStore(config);
  } catch (err) {
    console.error(`Cannot open the bot's store: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }

  try {
    const outbox = new BookingOutbox(opened.storage);
    let read: Awaited<ReturnType<typeof readBookingRecords>>;
    try {
      read = await readBookingRecords(opened.storage, outbox);
    } catch (err) {
      console.error(
        `Cannot read the bot's store at ${opened.where}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return 2;
    }
    const timeZone = clinicTimeZone(config.contentDir);
    if (options.handled !== undefined) return await markHandled(outbox, read.records, options.handled, timeZone);
    if (options.release !== undefined) return await release(outbox, read.records, options.release);

    const selection = selectBookings(read.records, { status: options.status, includeHandled: options.all });
    if (options.csv) {
      process.stdout.write(formatCsv([...selection.open, ...selection.finished].map(toBookingRow)));
    } else {
      const handledHidden = options.all
        ? 0
        : read.records.filter((r) => r.handledAt && (!options.status || r.status === options.status)).length;
      console.log(
        `${read.records.length} booking request(s) kept in ${opened.where}; ` +
          `times ${timeZone ? `in ${timeZone}` : 'in UTC'}.`,
      );
      if (handledHidden > 0)
        console.log(`Not shown: ${handledHidden} request(s) already marked handled (--all shows them).`);
      console.log('');
      console.log(formatBookingListing(selection, { timeZone, finishedLimit: FINISHED_IN_TABLE }));
      console.log(
        '\nStatus: pending = no booking system has accepted it yet; ' +
          'REJECTED = the booking system refused it, call the patient; ' +
          'HELD = older than the booking system, not sent unless released.',
      );
      if (selection.open.length > 0) console.log('When a request is dealt with: npm run bookings -- --handled <id>');
      if (selection.open.some((r) => r.status === 'held'))
        console.log('To send a held request to the booking system: npm run bookings -- --release <id>');
    }
    if (read.unreadable > 0) console.error(`\n${read.unreadable} kept record(s) could not be read and are not listed.`);
    return 0;
  } finally {
    opened.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`The bot's store failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);

import { BookingStatus, OutboxRecord } from './outbox';

/**
 * The staff listing of kept booking requests (`npm run bookings`): which records to show, as a
 * table for the terminal and as CSV for a spreadsheet. Plain formatting, no store and no SDK.
 */

export interface BookingFilter {
  status?: BookingStatus;
  /** Also list requests staff already marked as handled. */
  includeHandled?: boolean;
}

/** Requests still needing someone (oldest first) and finished ones (newest first). */
export interface BookingSelection {
  open: OutboxRecord[];
  finished: OutboxRecord[];
}

/** One request as staff read it; every field a plain string so table and CSV share it. */
export interface BookingRow {
  requestId: string;
  shortId: string;
  createdAt: string;
  status: BookingStatus;
  statusLabel: string;
  handledAt: string;
  attempts: string;
  lastError: string;
  reference: string;
  name: string;
  email: string;
  phone: string;
  /** A contact detail the bot could not read, as typed: staff check it. */
  contactAsTyped: string;
  preferredTimes: string;
  treatment: string;
  note: string;
  screeningShared: 'yes' | 'no';
  screeningOutcome: string;
  locale: string;
  channel: string;
  deliveredAt: string;
  rejectedAt: string;
  heldAt: string;
  releasedAt: string;
}

/** Characters of a request id shown in the table, and the fewest `--handled` accepts. */
export const SHORT_ID_LENGTH = 8;

/** The first characters of a request id, enough to tell requests apart in a table. */
export function shortId(requestId: string): string {
  return requestId.slice(0, SHORT_ID_LENGTH);
}

/** Open: pending, held or rejected and not yet handled. Finished: delivered, or handled by staff. */
export function isOpen(record: OutboxRecord): boolean {
  return record.handledAt === undefined && record.status !== 'delivered';
}

/** Applies the filter and splits the records into open and finished ones. */
export function selectBookings(records: readonly OutboxRecord[], filter: BookingFilter = {}): BookingSelection {
  const shown = records.filter(
    (r) =>
      (filter.status === undefined || r.status === filter.status) &&
      (filter.includeHandled || r.handledAt === undefined),
  );
  const byCreated = (a: OutboxRecord, b: OutboxRecord): number => a.createdAt.localeCompare(b.createdAt);
  return {
    open: shown.filter(isOpen).sort(byCreated),
    finished: shown.filter((r) => !isOpen(r)).sort((a, b) => byCreated(b, a)),
  };
}

/**
 * Requests whose id is `idOrPrefix` or starts with it; at least the short id shown in the table
 * is needed, so a slip of one or two characters cannot pick some other request.
 */
export function findByIdPrefix(records: readonly OutboxRecord[], idOrPrefix: string): OutboxRecord[] {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted.length < SHORT_ID_LENGTH) return [];
  const exact = records.filter((r) => r.request.requestId === wanted);
  return exact.length > 0 ? exact : records.filter((r) => r.request.requestId.startsWith(wanted));
}

const STATUS_LABELS: Record<BookingStatus, string> = {
  pending: 'pending',
  held: 'HELD — release or handle',
  delivered: 'delivered',
  rejected: 'REJECTED — needs staff',
};

export function statusLabel(record: OutboxRecord): string {
  return record.handledAt ? `handled (${record.status})` : STATUS_LABELS[record.status];
}

export function toBookingRow(record: OutboxRecord): BookingRow {
  const { request } = record;
  return {
    requestId: request.requestId,
    shortId: shortId(request.requestId),
    createdAt: record.createdAt,
    status: record.status,
    statusLabel: statusLabel(record),
    handledAt: record.handledAt ?? '',
    attempts: String(record.attempts),
    lastError: record.lastError ?? '',
    reference: record.reference ?? '',
    name: request.patient.name,
    email: request.patient.email ?? '',
    phone: request.patient.phone ?? '',
    contactAsTyped: request.patient.contactAsTyped ?? '',
    preferredTimes: request.preferences.daysAndTimes,
    treatment: request.preferences.treatment,
    note: request.preferences.note ?? '',
    screeningShared: request.screening ? 'yes' : 'no',
    screeningOutcome: request.screening?.outcome ?? '',
    locale: request.locale,
    channel: request.channel,
    deliveredAt: record.deliveredAt ?? '',
    rejectedAt: record.rejectedAt ?? '',
    heldAt: record.heldAt ?? '',
    releasedAt: record.releasedAt ?? '',
  };
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "2026-11-20 05:00" in the clinic's zone; the ISO time itself when no usable zone is given. */
export function formatClinicTime(iso: string, timeZone: string | undefined): string {
  const at = new Date(iso);
  if (!timeZone || !isTimeZone(timeZone) || Number.isNaN(at.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

export interface TableOptions {
  /** The clinic's IANA time zone; times are shown in UTC ISO form without it. */
  timeZone?: string;
  /** At most this many finished requests in the table (the CSV has them all). */
  finishedLimit?: number;
}

interface Column {
  title: string;
  cell: (row: BookingRow, options: TableOptions) => string;
  /** Longer cells are cut with "…" (contact details never are). */
  max?: number;
}

const COLUMNS: readonly Column[] = [
  { title: 'created', cell: (r, o) => formatClinicTime(r.createdAt, o.timeZone) },
  { title: 'status', cell: (r) => r.statusLabel },
  { title: 'tries', cell: (r) => r.attempts },
  { title: 'last error', cell: (r) => r.lastError, max: 20 },
  { title: 'reference', cell: (r) => r.reference, max: 20 },
  { title: 'name', cell: (r) => r.name, max: 24 },
  {
    title: 'contact',
    cell: (r) =>
      [r.email, r.phone, r.contactAsTyped && `${r.contactAsTyped} (as typed: check)`]
        .filter((c) => c !== '')
        .join(' / '),
  },
  { title: 'preferred times', cell: (r) => r.preferredTimes, max: 28 },
  { title: 'treatment', cell: (r) => r.treatment, max: 20 },
  { title: 'screening', cell: (r) => r.screeningShared },
  { title: 'id', cell: (r) => r.shortId },
];

/**
 * Patient-typed text on one terminal line: control characters (newlines, escape sequences) and
 * bidirectional overrides become spaces, so a note cannot break or disguise the table.
 */
export function terminalSafe(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function cut(text: string, max: number | undefined): string {
  const chars = [...text];
  return max !== undefined && chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

const width = (text: string): number => [...text].length;

/** Aligned columns under a header; an empty cell shows "-". */
export function formatTable(rows: readonly BookingRow[], options: TableOptions = {}): string {
  const cells = rows.map((row) => COLUMNS.map((c) => cut(terminalSafe(c.cell(row, options)), c.max) || '-'));
  const widths = COLUMNS.map((c, i) => Math.max(width(c.title), ...cells.map((line) => width(line[i]))));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat(widths[i] - width(v)))).join('  ');
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}

/** The patients' notes on open requests, one line each under the table (staff read them before calling). */
function notesOf(records: readonly OutboxRecord[]): string[] {
  return records.flatMap((r) =>
    r.request.preferences.note
      ? [`  note ${shortId(r.request.requestId)}: ${cut(terminalSafe(r.request.preferences.note), 200)}`]
      : [],
  );
}

/** The whole staff listing: open requests (oldest first), then the latest finished ones. */
export function formatBookingListing(selection: BookingSelection, options: TableOptions = {}): string {
  const limit = options.finishedLimit ?? selection.finished.length;
  const shown = selection.finished.slice(0, limit);
  const out = [
    `Open requests (${selection.open.length}), oldest first`,
    selection.open.length > 0 ? formatTable(selection.open.map(toBookingRow), options) : '  none',
    ...notesOf(selection.open),
    '',
    `Finished requests (${selection.finished.length}), newest first`,
    shown.length > 0 ? formatTable(shown.map(toBookingRow), options) : '  none',
  ];
  if (selection.finished.length > shown.length) {
    out.push(`  … and ${selection.finished.length - shown.length} older finished request(s); --csv lists them all`);
  }
  return out.join('\n');
}

const CSV_COLUMNS: readonly (readonly [string, keyof BookingRow])[] = [
  ['request_id', 'requestId'],
  ['created_at', 'createdAt'],
  ['status', 'status'],
  ['handled_at', 'handledAt'],
  ['attempts', 'attempts'],
  ['last_error', 'lastError'],
  ['reference', 'reference'],
  ['name', 'name'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['contact_as_typed', 'contactAsTyped'],
  ['preferred_times', 'preferredTimes'],
  ['treatment', 'treatment'],
  ['note', 'note'],
  ['screening_shared', 'screeningShared'],
  ['screening_outcome', 'screeningOutcome'],
  ['locale', 'locale'],
  ['channel', 'channel'],
  ['delivered_at', 'deliveredAt'],
  ['rejected_at', 'rejectedAt'],
  ['held_at', 'heldAt'],
  ['released_at', 'releasedAt'],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A value a spreadsheet would run as a formula (leading =, +, -, @, tab or carriage return) gets
 * a leading single quote first (OWASP's CSV-injection advice), so "+1555…" reads '+1555….
 */
export function csvField(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** The rows as CSV: a header line, CRLF line ends, times in UTC ISO form. */
export function formatCsv(rows: readonly BookingRow[]): string {
  const lines = [CSV_COLUMNS.map(([title]) => title), ...rows.map((row) => CSV_COLUMNS.map(([, key]) => row[key]))];
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BookingOutbox } from '../../core/booking/outbox';
import { SqliteStorage } from '../../core/storage/sqliteStorage';
import { sampleRequest } from '../helpers/bookingRequests';
import { CONTENT_DIR, ROOT } from '../helpers/content';

const KEPT_AT = new Date('2026-11-18T10:00:00.000Z');
const CONFIGURED_AT = new Date('2026-11-20T10:00:00.000Z');

describe('npm run bookings with a held request', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const script = path.join(ROOT, 'scripts', 'bookings.ts');
  let tmp: string;
  let sqlitePath: string;
  const request = sampleRequest();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bookings-cli-'));
    sqlitePath = path.join(tmp, 'state.sqlite');
    const store = new SqliteStorage(sqlitePath);
    try {
      await new BookingOutbox(store, () => KEPT_AT).add(request);
      await new BookingOutbox(store, () => CONFIGURED_AT).holdOldOnFirstEndpoint(24 * 3_600_000);
    } finally {
      store.close();
    }
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Runs the staff tool on the test's store, with none of the machine's own settings. */
  function bookings(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] =>
          e[1] !== undefined && !/^(STATE_STORE|SQLITE_PATH|DATA_DIR|CONTENT_DIR|AZURE_|BOOKING_)/.test(e[0]),
      ),
    );
    return spawnSync(tsx, [script, ...args], {
      cwd: ROOT,
      env: { ...env, STATE_STORE: 'sqlite', SQLITE_PATH: sqlitePath, DATA_DIR: tmp, CONTENT_DIR },
      encoding: 'utf8',
    });
  }

  async function statusOfRequest(): Promise<string | undefined> {
    const store = new SqliteStorage(sqlitePath);
    try {
      return (await new BookingOutbox(store).get(request.requestId))?.status;
    } finally {
      store.close();
    }
  }

  it('lists it as held and says how to release it', () => {
    const run = bookings();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('HELD — release or handle');
    expect(run.stdout).toContain('npm run bookings -- --release <id>');
  });

  it('releases it by the id shown in the table, once', async () => {
    const id = request.requestId.slice(0, 8);
    const released = bookings('--release', id);
    expect(released.stderr).toBe('');
    expect(released.status).toBe(0);
    expect(released.stdout).toMatch(/^Released: [0-9a-f]{8} \(Ana Pérez\) is pending again\./);
    expect(await statusOfRequest()).toBe('pending');

    const again = bookings('--release', id);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('is not held (pending): nothing to release.');
  });

  it('refuses --release with other options', () => {
    const run = bookings('--release', request.requestId, '--csv');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--release goes on its own');
  });
});

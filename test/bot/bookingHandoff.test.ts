import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { BookingOutbox } from '../../core/booking/outbox';
import { SqliteStorage } from '../../core/storage/sqliteStorage';
import { BookingEndpoint } from '../helpers/bookingEndpoint';
import { testConfig } from '../helpers/testApp';
import { until } from '../helpers/until';

const ROOT = path.resolve(__dirname, '..', '..');
const PATIENT = { name: 'Ana García', email: 'ana.garcia@example.com', phone: '(201) 555-0123' };
/** Fast retries so the tests take seconds; the shape of the policy is the production one. */
const FAST_BOOKING = {
  BOOKING_TIMEOUT_MS: '1000',
  BOOKING_RETRY_ATTEMPTS: '4',
  BOOKING_RETRY_INITIAL_MS: '20',
  BOOKING_RETRY_MAX_MS: '100',
  BOOKING_SWEEP_MS: '100',
  BOOKING_TURN_WAIT_MS: '2000',
};

/** Everything a patient types to request a consultation, ending with "Send request". */
const BOOKING_SCRIPT = [
  'i want to book',
  PATIENT.name,
  PATIENT.email,
  PATIENT.phone,
  'weekday mornings',
  'Microneedling',
  'No note',
  'yes',
  'Send request',
];

function patientSays(port: number, conversation: string) {
  let n = 0;
  return async (text: string): Promise<string[]> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `${conversation}-${++n}`,
        channelId: 'webchat',
        serviceUrl: 'http://127.0.0.1:1',
        conversation: { id: conversation },
        from: { id: `user-${conversation}` },
        recipient: { id: 'bot' },
        locale: 'en-US',
        deliveryMode: 'expectReplies',
        text,
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { activities: { text?: string }[] }).activities.map((a) => a.text ?? '');
  };
}

async function book(port: number, conversation: string): Promise<string> {
  const say = patientSays(port, conversation);
  let last: string[] = [];
  for (const text of BOOKING_SCRIPT) last = await say(text);
  return last.join('\n');
}

/** The log lines must never carry what the patient typed about themselves. */
function expectNoContactDetails(logText: string): void {
  for (const detail of [
    PATIENT.name,
    'García',
    PATIENT.email,
    'ana.garcia',
    '555-0123',
    '5550123',
    'weekday mornings',
  ]) {
    expect(logText).not.toContain(detail);
  }
}

describe('booking handoff to a real local HTTP endpoint', () => {
  let dataDir: string;
  let endpoint: BookingEndpoint;
  let app: App | undefined;
  let logs: string;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booking-'));
    endpoint = await new BookingEndpoint().start();
    logs = '';
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await endpoint.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function startApp(extra: Record<string, string> = {}): Promise<number> {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    // The store a deployment keeps requests in (sqlite under DATA_DIR), not the tests' memory default.
    const config = testConfig({
      STATE_STORE: 'sqlite',
      DATA_DIR: dataDir,
      BOOKING_ENDPOINT_URL: endpoint.url,
      BOOKING_ENDPOINT_TOKEN: 'token-1',
      BOOKING_SIGNING_SECRET: 'secret-1',
      ...FAST_BOOKING,
      ...extra,
    });
    app = await createApp(config, { log: pino({ level: 'debug' }, sink) });
    return (await app.listen()).port;
  }

  it("delivers one request carrying the contact, and confirms with the clinic's reference", async () => {
    const port = await startApp();
    const reply = await book(port, 'happy');
    expect(reply).toMatch(/confirmed/i);
    expect(reply).toContain('REF-1');
    expect(endpoint.received).toHaveLength(1);
    const { patient, locale, channel } = endpoint.received[0].json;
    expect(patient).toEqual({ name: PATIENT.name, email: PATIENT.email, phone: '+12015550123' });
    expect({ locale, channel }).toEqual({ locale: 'en', channel: 'webchat' });
    expectNoContactDetails(logs);
  });

  it('ends with exactly one accepted request when the endpoint fails twice with 503', async () => {
    endpoint.respond([503, 503]);
    const port = await startApp();
    const reply = await book(port, 'flaky');
    expect(reply).toMatch(/confirmed/i);
    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(endpoint.accepted.size).toBe(1);
  });

  it('tells the patient "received" while the endpoint is down and delivers once it is back', async () => {
    const endpointPort = endpoint.port;
    await endpoint.stop();
    const port = await startApp({ BOOKING_RETRY_ATTEMPTS: '2', BOOKING_TURN_WAIT_MS: '500' });
    const reply = await book(port, 'down');
    expect(reply).toMatch(/received/i);
    expect(reply).not.toMatch(/confirmed/i);
    expect(reply).toContain('+1 555 0100');

    endpoint = await new BookingEndpoint().start(endpointPort);
    // The relay's own sweep finds it (on the service's clock, which createApp does not take from a test).
    await until(() => endpoint.accepted.size === 1, 'the request to arrive');
    // A sweep waits for the deliveries it started, so the delivery is recorded; the next sweeps send nothing again.
    for (let sweep = 0; sweep < 3; sweep++) await app?.bookings.sweep();
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0].json.patient.email).toBe(PATIENT.email);
    expectNoContactDetails(logs);
  });

  it('delivers a pending request after the bot is killed with SIGKILL and started again', async () => {
    const endpointPort = endpoint.port;
    await endpoint.stop();
    const env = {
      DATA_DIR: dataDir,
      BOOKING_ENDPOINT_URL: `http://127.0.0.1:${endpointPort}/bookings`,
      ...FAST_BOOKING,
      BOOKING_RETRY_ATTEMPTS: '2',
      BOOKING_TURN_WAIT_MS: '300',
    };

    const first = await startProcess(env);
    const reply = await book(first.port, 'killed');
    expect(reply).toMatch(/received/i);
    expect(reply).not.toMatch(/confirmed/i);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    // The request survived the kill, still pending. (sqlite lets the test read it while a bot runs.)
    const store = new SqliteStorage(path.join(dataDir, 'state.sqlite'));
    const outbox = new BookingOutbox(store);
    let second: Awaited<ReturnType<typeof startProcess>> | undefined;
    try {
      const [kept] = await outbox.active();
      expect(kept).toMatchObject({ status: 'pending' });

      endpoint = await new BookingEndpoint().start(endpointPort);
      second = await startProcess(env);
      await until(() => endpoint.accepted.size === 1, 'the request to arrive after the restart');
      // Once it is recorded as delivered, no sweep of the restarted bot sends it again.
      await until(
        async () => (await outbox.get(kept.request.requestId))?.status === 'delivered',
        'the delivery to be recorded',
      );
      expect(endpoint.received).toHaveLength(1);
      expect(endpoint.received[0].headers['idempotency-key']).toBe(kept.request.requestId);
    } finally {
      const child = second?.child;
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      store.close();
    }
    expectNoContactDetails(first.output() + (second?.output() ?? ''));
  }, 90_000);
});

/** Runs the real entry point (`bot/index.ts`) and waits until it listens. */
async function startProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  // node itself with tsx's loader (not the tsx wrapper, whose child would survive a SIGKILL).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bot', 'index.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      CONTENT_WATCH: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  await until(() => out.includes('"event":"listening"') || child.exitCode !== null, 'the bot to listen', 60_000);
  const port = Number(/"event":"listening","port":(\d+)/.exec(out)?.[1]);
  if (!port) throw new Error(`the bot did not start: ${out}`);
  return { child, port, output: () => out };
}

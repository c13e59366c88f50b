/**
 * Speed of the staff console's analytics, measured (never asserted in tests): seeds 90 days of a
 * busy clinic into a fresh sqlite store through the real AnalyticsRecorder (record, then one
 * flush per simulated hour: read, add, eTag-checked write), then times AnalyticsReader.summary
 * for every range, cold (a new store connection and reader each run: 5 runs) and warm (20 runs of
 * one reader after one summary, as a page shown again: it reads only the days not yet over).
 * Usage: npm run bench:analytics [-- --conversations 100000 --days 90 --entries 150 --keep]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AnalyticsEvent, Channel, EntryRef, MessageOutcome } from '../core/analytics/analyticsEvents';
import { ANALYTICS_RANGES, AnalyticsReader } from '../core/analytics/analyticsReader';
import { AnalyticsRecorder } from '../core/analytics/analyticsRecorder';
import { SqliteStorage } from '../core/storage/sqliteStorage';
import pino from 'pino';
import { createApp } from '../bot/app';
import { loadConfig } from '../core/config';
import { StaffAccounts } from '../core/staff/staffAccounts';
import { Lang } from '../core/text/language';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    days: { type: 'string', default: '90' },
    entries: { type: 'string', default: '150' },
    keep: { type: 'boolean', default: false },
  },
});
const CONVERSATIONS = Number(values.conversations);
const DAYS = Number(values.days);
const ENTRIES = Number(values.entries);
/** The summary's "now": the end of the seeded period, a weekday afternoon at the clinic. */
/** Half past the current hour: the console's page (which reads the real clock) shows the same 90 days. */
const NOW = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1_800_000);
const TIME_ZONE = 'America/New_York';
const HOUR_MS = 3_600_000;

/** Deterministic, so two runs seed the same clinic (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rnd = random(20261204);
function pick<T>(weighted: readonly (readonly [T, number])[]): T {
  let r = rnd() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of weighted) if ((r -= w) < 0) return value;
  return weighted[weighted.length - 1][0];
}

const entries: EntryRef[] = Array.from({ length: ENTRIES }, (_, i) => ({
  id: `faq-entry-${String(i + 1).padStart(3, '0')}`, // 13 characters, as the content's ids on average
  en: { title: `Question number ${i + 1}` },
  es: { title: `Pregunta número ${i + 1}` },
}));
/** A few entries are asked about most (Zipf). */
const entryWeights = entries.map((e, i) => [e, 1 / (i + 1)] as const);
const OUTCOMES: [MessageOutcome, number][] = [
  ['answered', 55],
  ['did-you-mean', 7],
  ['fallback', 12],
  ['red-flag', 1],
  ['flow', 16],
  ['command', 7],
  ['other', 2],
];
const CHANNELS: [Channel, number][] = [
  ['webchat', 65],
  ['msteams', 25],
  ['directline', 8],
  ['emulator', 2],
];
/** Conversations by UTC hour: the clinic's day in New York (UTC−5), quiet at night. */
const HOUR_WEIGHTS = Array.from(
  { length: 24 },
  (_, h) => [h, h >= 13 && h <= 23 ? 10 : h >= 11 || h <= 3 ? 3 : 0.5] as const,
);

/** One conversation's events, by the hour (ms) they happen in. */
function conversation(start: number, events: Map<number, AnalyticsEvent[]>): void {
  const lang: Lang = rnd() < 0.6 ? 'en' : 'es';
  const channel = pick(CHANNELS);
  const at = (hour: number, event: AnalyticsEvent): void => {
    const list = events.get(hour);
    if (list) list.push(event);
    else events.set(hour, [event]);
  };
  at(start, { kind: 'conversation', lang, channel });
  const messages = 4 + Math.floor(rnd() * 9); // 4–12, about 8
  for (let m = 0; m < messages; m++) {
    const hour = m > 5 && rnd() < 0.3 ? start + HOUR_MS : start;
    const outcome = pick(OUTCOMES);
    if (outcome !== 'answered') {
      at(hour, { kind: 'message', outcome, lang, channel });
      continue;
    }
    const given = rnd() < 0.05 ? [pick(entryWeights), pick(entryWeights)] : [pick(entryWeights)];
    at(hour, { kind: 'message', outcome, lang, channel, entries: given });
    if (rnd() < 0.04) at(hour, { kind: 'feedback', reaction: 'up', entry: given[0] });
    if (rnd() < 0.015) at(hour, { kind: 'feedback', reaction: 'down', entry: given[0] });
  }
  if (rnd() < 0.04) {
    at(start, { kind: 'booking-requested' });
    if (rnd() < 0.95) at(start + HOUR_MS, { kind: 'booking-delivered' });
  }
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall time, and the CPU time this process spent (what the machine's other load does not inflate). */
async function timed<T>(work: () => Promise<T>, into: Timing[]): Promise<T> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  into.push({ wall: performance.now() - t, cpu: (used.user + used.system) / 1000 });
  return result;
}

function stats(runs: Timing[]): string {
  const at = (key: keyof Timing, p: number): string => {
    const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(0).padStart(4);
  };
  return `p50 ${at('wall', 0.5)} ms, max ${at('wall', 1)} ms (CPU p50 ${at('cpu', 0.5)} ms)`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-analytics-'));
  const file = path.join(dir, 'state.sqlite');
  const store = new SqliteStorage(file);
  const firstDay = Date.parse(NOW.toISOString().slice(0, 10)) - (DAYS - 1) * 86_400_000;
  const events = new Map<number, AnalyticsEvent[]>();
  for (let c = 0; c < CONVERSATIONS; c++) {
    const day = firstDay + Math.floor(rnd() * DAYS) * 86_400_000;
    const start = day + pick(HOUR_WEIGHTS) * HOUR_MS;
    if (start + HOUR_MS <= NOW.getTime()) conversation(start, events);
    else c--; // Not yet happened: drawn again.
  }
  let clock = new Date(firstDay);
  const recorder = new AnalyticsRecorder(store, { now: () => clock });
  let recorded = 0;
  const seedStart = performance.now();
  for (let hour = firstDay; hour <= NOW.getTime(); hour += HOUR_MS) {
    clock = new Date(hour + 1_800_000);
    for (const event of events.get(hour) ?? []) recorder.record(event);
    recorded += events.get(hour)?.length ?? 0;
    await recorder.flush();
  }
  const seedMs = performance.now() - seedStart;
  const keys = await store.keys('analytics/');
  const sizes = Object.values(await store.read(keys)).map((item) => JSON.stringify(item).length);
  store.close();
  console.log(
    `seeded ${CONVERSATIONS.toLocaleString('en')} conversations, ${recorded.toLocaleString('en')} events, ` +
      `${ENTRIES} entries over ${DAYS} days through the recorder (${(seedMs / 1000).toFixed(1)} s, one flush per hour)`,
  );
  console.log(
    `${keys.length} day items, ${(Math.max(...sizes) / 1024).toFixed(0)} KiB largest, ` +
      `${(sizes.reduce((a, b) => a + b, 0) / 1024 / 1024).toFixed(1)} MiB in all (${file})`,
  );
  console.log(`load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs\n`);

  for (const range of ANALYTICS_RANGES) {
    const cold: Timing[] = [];
    let summary;
    for (let run = 0; run < 5; run++) {
      const fresh = new SqliteStorage(file);
      const reader = new AnalyticsReader(fresh, { timeZone: () => TIME_ZONE });
      summary = await timed(() => reader.summary(range, NOW), cold);
      fresh.close();
    }
    const warmStore = new SqliteStorage(file);
    const reader = new AnalyticsReader(warmStore, { timeZone: () => TIME_ZONE });
    const warm: Timing[] = [];
    await reader.summary(range, NOW); // The page shown once: the reader keeps the sums of past days.
    for (let run = 0; run < 20; run++) await timed(() => reader.summary(range, NOW), warm);
    warmStore.close();
    const totals = summary?.totals;
    console.log(`summary('${range}')`.padEnd(16) + `cold ${stats(cold)}   warm ${stats(warm)}`);
    console.log(
      ' '.repeat(16) +
        `(${totals?.conversations.toLocaleString('en')} conversations, ${totals?.messages.toLocaleString('en')} ` +
        `messages, ${summary?.series.length} points, ${summary?.topEntries.length} entries)`,
    );
  }
  await timePage(file);
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
}

/** The console's analytics page itself, over HTTP, signed in, on the seeded store: what staff wait for. */
async function timePage(file: string): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    STATE_STORE: 'sqlite',
    SQLITE_PATH: file,
    CONTENT_WATCH: 'false',
    STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '100',
  });
  const store = new SqliteStorage(file);
  await new StaffAccounts(store).add('bench@clinic.example', 'admin', 'bench password 1');
  store.close();
  const app = await createApp(config, { log: pino({ level: 'silent' }) });
  const base = `http://127.0.0.1:${(await app.listen()).port}`;
  try {
    const form = await fetch(`${base}/staff/sign-in`);
    const formCookie = (form.headers.getSetCookie()[0] ?? '').split(';')[0];
    const token = /name="_form" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const signedIn = await fetch(`${base}/staff/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie, origin: base },
      body: new URLSearchParams({ _form: token, email: 'bench@clinic.example', password: 'bench password 1' }),
    });
    const session = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('staff_session='));
    if (!session) throw new Error(`could not sign in to the console (${signedIn.status})`);
    for (const range of ANALYTICS_RANGES) {
      const runs: Timing[] = [];
      let bytes = 0;
      for (let run = 0; run < 10; run++) {
        const res = await timed(
          () => fetch(`${base}/staff/analytics?range=${range}`, { headers: { cookie: session, accept: 'text/html' } }),
          runs,
        );
        bytes = (await res.text()).length;
        if (res.status !== 200) throw new Error(`the analytics page answered ${res.status}`);
      }
      console.log(
        `page ${range}`.padEnd(16) +
          `first ${runs[0].wall.toFixed(0)} ms, ${stats(runs)}, ${(bytes / 1024).toFixed(0)} KiB`,
      );
    }
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

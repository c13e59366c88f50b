/**
 * Soak test: holds N concurrent patient conversations against the real service (createApp on
 * loopback, embedded sqlite store, no booking endpoint) for a bounded time, and checks that no
 * turn fails and that memory does not keep growing.
 *
 *   npm run soak                     # 50 conversations, 60 s
 *   npm run soak -- --conversations 20 --seconds 15 --max-growth-mb 40
 *
 * Every conversation follows a realistic script (questions, a screening, aftercare, a booking,
 * small talk) with a random pause between messages ("thinking time"), so the service sees a
 * steady mix rather than a synthetic flood. Traffic goes to 127.0.0.1 only; loops stop at the
 * deadline. Exit code 1 when a turn failed or heap growth exceeded the bound.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../bot/app';
import { loadConfig } from '../core/config';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'think-ms': { type: 'string', default: '400' },
    'max-growth-mb': { type: 'string', default: '64' },
  },
});
const CONVERSATIONS = Number(values.conversations);
const SECONDS = Number(values.seconds);
const THINK_MS = Number(values['think-ms']);
const MAX_GROWTH_MB = Number(values['max-growth-mb']);

/** One patient's visit; conversations loop over it (each loop is a new conversation id). */
const SCRIPT: readonly string[] = [
  'hello',
  'does microneedling hurt?',
  'how many sessions will I need',
  'am i a good candidate?',
  'no',
  'no',
  'no',
  'not sure',
  'why?',
  'no',
  'back',
  'no',
  'skip',
  'no',
  'no',
  'no',
  'no',
  'no',
  'no',
  'no',
  'yes',
  'how long does the redness last?',
  '¿cuánto dura el enrojecimiento?',
  'i had it done 3 days ago',
  "it's day 3 and still red, is that normal?",
  'stop',
  'i want to book',
  'Sam Example',
  'sam.example@example.com',
  'No thanks',
  'weekday mornings',
  'Microneedling',
  'No note',
  'yes',
  'Send request',
  'thanks',
  'what does it cost?',
  'bye',
];

function heapMb(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<number> {
  if (!global.gc) console.warn('(run with node --expose-gc for exact heap figures; npm run soak does)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const app = await createApp(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      CONTENT_WATCH: 'false',
      // The soak measures the service, not the abuse limits: every conversation comes from 127.0.0.1.
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
    }),
    { log: pino({ level: 'silent' }) },
  );
  const { port } = await app.listen();
  const url = `http://127.0.0.1:${port}/api/messages`;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let turns = 0;
  let visits = 0;
  const fail = (why: string): void => {
    failures.set(why, (failures.get(why) ?? 0) + 1);
  };

  const deadline = (): number => started + SECONDS * 1000;
  const say = async (conversation: string, id: string, text: string): Promise<void> => {
    const t0 = performance.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id,
          channelId: 'webchat',
          serviceUrl: 'http://127.0.0.1:1',
          conversation: { id: conversation },
          from: { id: `user-${conversation}` },
          recipient: { id: 'bot' },
          locale: 'en-US',
          deliveryMode: 'expectReplies',
          text,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { activities?: { text?: string }[] };
      const texts = (body.activities ?? []).map((a) => a.text ?? '');
      if (res.status !== 200) fail(`HTTP ${res.status}`);
      else if (!texts.some((t) => t.length > 0) && text !== 'bye') fail('empty reply');
      else if (texts.some((t) => /\((reference|referencia) [0-9a-f]{8}\)/i.test(t))) fail('turn error reply');
    } catch (err) {
      fail(err instanceof Error ? err.name : 'error');
    }
    latencies.push(performance.now() - t0);
    turns++;
  };

  const patient = async (n: number): Promise<void> => {
    for (let visit = 0; Date.now() < deadline(); visit++) {
      const conversation = `soak-${n}-${visit}`;
      for (const [i, text] of SCRIPT.entries()) {
        if (Date.now() >= deadline()) return;
        await say(conversation, `${conversation}-${i}`, text);
        await new Promise((r) => setTimeout(r, Math.random() * 2 * THINK_MS));
      }
      visits++;
    }
  };

  // Warm up (JIT, caches) before the baseline, so growth means growth.
  for (let i = 0; i < 3; i++)
    for (const text of SCRIPT.slice(0, 5)) await say(`warmup-${i}`, `warmup-${i}-${text}`, text);
  const before = heapMb();
  const rssBefore = process.memoryUsage().rss / 1024 / 1024;
  const started = Date.now();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage().heapUsed / 1024 / 1024), 1000);
  // The retention sweep runs while patients talk (it lists and checks every kept item; never on a turn).
  const sweeps: { started: number; finished?: number; ran: boolean; kept: number }[] = [];
  const sweeper = setTimeout(
    () => {
      const sweep: (typeof sweeps)[number] = { started: Date.now(), ran: false, kept: 0 };
      sweeps.push(sweep);
      void app.retention.sweepNow().then((result) => {
        sweep.finished = Date.now();
        sweep.ran = result !== undefined;
        sweep.kept = result?.kept ?? 0;
      });
    },
    (SECONDS * 1000) / 3,
  );
  await Promise.all(Array.from({ length: CONVERSATIONS }, (_, n) => patient(n)));
  clearInterval(sampler);
  clearTimeout(sweeper);
  const elapsed = (Date.now() - started) / 1000;
  const after = heapMb();
  const rssAfter = process.memoryUsage().rss / 1024 / 1024;
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  const growth = after - before;
  console.log(
    `soak: ${CONVERSATIONS} concurrent conversations for ${elapsed.toFixed(0)} s ` +
      `(think time 0–${2 * THINK_MS} ms), embedded sqlite store`,
  );
  console.log(
    `  turns ${turns} (${(turns / elapsed).toFixed(0)}/s), finished visits ${visits}, failed turns ${failed}` +
      `${failed ? ` ${JSON.stringify(Object.fromEntries(failures))}` : ''}`,
  );
  console.log(
    `  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ` +
      `max ${latencies[latencies.length - 1]?.toFixed(0)} ms`,
  );
  console.log(
    `  heap after GC: ${before.toFixed(1)} MB → ${after.toFixed(1)} MB ` +
      `(growth ${growth.toFixed(1)} MB, bound ${MAX_GROWTH_MB} MB); ` +
      `peak heap ${Math.max(...samples, after).toFixed(0)} MB; RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB`,
  );
  for (const sweep of sweeps)
    console.log(
      `  retention sweep ${sweep.ran ? 'ran' : 'found nothing to do'} ` +
        `from ${((sweep.started - started) / 1000).toFixed(0)} s ` +
        `to ${sweep.finished ? `${((sweep.finished - started) / 1000).toFixed(1)} s` : '(not finished)'} ` +
        `during the traffic (${sweep.kept} items past their time but kept)`,
    );
  const ok = failed === 0 && growth <= MAX_GROWTH_MB;
  console.log(ok ? 'soak passed' : 'soak FAILED');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

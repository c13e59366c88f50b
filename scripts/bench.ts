/**
 * Speed, measured (never asserted in tests):
 *  1. in-process turn latency (p50/p99) of the clinic bot through botbuilder's TestAdapter;
 *  2. HTTP turns per second with deliveryMode "expectReplies", clinic bot vs a bare echo bot on
 *     the same restify + CloudAdapter stack, each in its own child process, loaded by autocannon
 *     in alternating rounds of the same run; the echo bot runs twice, on botbuilder's stock
 *     CloudAdapter and on the clinic's adapter (which keeps its connector clients between turns),
 *     so the second ratio is the cost of the clinic's own work;
 *  3. the chat page's path: visitors on the embedded Direct Line, each posting a message and
 *     polling for the reply as Web Chat does, on the clinic server of step 2;
 *  4. replies while staff's edits go live: the same HTTP load on a clinic server watching a copy
 *     of the content, which is edited twice during the run (each edit reloads and retrains).
 * Usage: npm run bench [-- --seconds 18 --warmup 4 --concurrency 16] [-- --in-process: step 1 alone]
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { ActivityTypes, MemoryStorage, TestAdapter } from 'botbuilder';
import pino from 'pino';
import { createBot } from '../bot/createBot';
import { createLocalizer } from '../bot/i18n';
import { loadConfig } from '../core/config';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { loadContent } from '../core/content/contentLoader';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 18);
const ROUNDS = 3;
const WARMUP_SECONDS = arg('warmup', 4);
const CONCURRENCY = arg('concurrency', 16);

// A mix of what patients send: questions, Spanish, typos, something out of scope, a warning sign.
const MESSAGES = [
  'does microneedling hurt?',
  'how long will my face be red after',
  'cuántas sesiones necesito',
  'can i wear makeup the next day',
  'what does the mask do',
  'is it ok for dark skin',
  'how much does it cost',
  'numbing creme how long',
  'cuando veré resultados',
  'there is pus on my cheek',
  'what should I avoid before my appointment',
  'tell me a joke',
  'does it hurt and how long is the downtime?',
  'I looked in the mirror this morning and my face is as red as a tomato. Is this normal?',
  'and how long does that last?',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function inProcessLatency(): Promise<{ p50: number; p99: number; turns: number }> {
  const config = loadConfig({ NODE_ENV: 'test' });
  const i18n = await createLocalizer(config.localesDir, true);
  const engine = new ConsultationEngine(loadContent(config.contentDir), i18n.commands);
  // The benchmark's messages never reach the booking step, so nothing is ever submitted.
  const bookings = {
    delivers: false,
    submit: () => Promise.reject(new Error('the benchmark does not book')),
    forget: () => Promise.resolve({ removed: [], delivered: [] }),
  };
  const { bot } = createBot({
    engine: () => engine,
    i18n,
    storage: new MemoryStorage(),
    log: pino({ level: 'silent' }),
    maxMessageChars: 2000,
    defaultLang: 'en',
    bookings,
    dedupeScope: 'process',
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const activity = adapter.makeActivity(MESSAGES[i % MESSAGES.length]);
    activity.type = ActivityTypes.Message;
    const start = performance.now();
    await adapter.processActivity(activity);
    if (i >= 200) times.push(performance.now() - start);
    // The replies are taken away, as a channel does: the harness keeps no turns of its own.
    adapter.activeQueue.splice(0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), turns: times.length };
}

type ServerKind = 'echo' | 'echo-clinic-adapter' | 'clinic';
const SERVER_KINDS: readonly ServerKind[] = ['echo', 'echo-clinic-adapter', 'clinic'];

function startServer(
  kind: ServerKind | 'clinic-watching',
): Promise<{ child: ChildProcess; port: number; out: () => string }> {
  // The servers run with this process's node flags (`npm run bench` gives the same ones as `npm start`).
  const child = spawn(process.execPath, [...process.execArgv, path.join(__dirname, 'benchServer.ts'), kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), out: () => out });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

interface Throughput {
  rps: number;
  errors: number;
  p50: number;
  p99: number;
  /** Slowest reply, ms. */
  max: number;
}

/** Load from autocannon (raw sockets, keep-alive) so the servers, not the client, are measured. */
async function httpThroughput(port: number, seconds: number): Promise<Throughput> {
  // Every request is a new activity (its own id), as a channel sends them: a repeated id would be
  // answered as a redelivery without running the turn.
  let sent = 0;
  const requests = MESSAGES.map((text, i) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    setupRequest: (request: { body?: string | Buffer }) => ({
      ...request,
      body: JSON.stringify({
        type: 'message',
        id: `bench-${i}-${++sent}`,
        channelId: 'bench',
        serviceUrl: 'http://127.0.0.1:1',
        conversation: { id: `bench-${i}` },
        from: { id: `user-${i}` },
        recipient: { id: 'bot' },
        locale: 'en-US',
        deliveryMode: 'expectReplies',
        text,
      }),
    }),
  }));
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/messages`,
    connections: CONCURRENCY,
    duration: seconds,
    requests,
  });
  return {
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

/**
 * Starts both servers, warms each up (throughput keeps rising for seconds while V8 optimises),
 * then measures them in alternating rounds so drift on the machine affects both alike.
 */
async function compare(): Promise<{ throughput: Record<ServerKind, Throughput>; directLine: DirectLineFigures }> {
  const servers = {} as Record<ServerKind, { child: ChildProcess; port: number; out: () => string }>;
  try {
    for (const kind of SERVER_KINDS) servers[kind] = await startServer(kind);
    const rounds = Object.fromEntries(SERVER_KINDS.map((k) => [k, [] as Throughput[]])) as Record<
      ServerKind,
      Throughput[]
    >;
    for (const kind of SERVER_KINDS) await httpThroughput(servers[kind].port, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of SERVER_KINDS) rounds[kind].push(await httpThroughput(servers[kind].port, SECONDS / ROUNDS));
    }
    const merge = (rs: Throughput[]): Throughput => ({
      rps: rs.reduce((s, r) => s + r.rps, 0) / rs.length,
      errors: rs.reduce((s, r) => s + r.errors, 0),
      p50: Math.max(...rs.map((r) => r.p50)),
      p99: Math.max(...rs.map((r) => r.p99)),
      max: Math.max(...rs.map((r) => r.max)),
    });
    const throughput = Object.fromEntries(SERVER_KINDS.map((k) => [k, merge(rounds[k])])) as Record<
      ServerKind,
      Throughput
    >;
    return { throughput, directLine: await directLineVisitors(servers.clinic.port, SECONDS / ROUNDS) };
  } finally {
    for (const server of Object.values(servers)) server.child.kill('SIGTERM');
  }
}

interface DirectLineFigures {
  visitors: number;
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
  missing: number;
}

/**
 * CONCURRENCY visitors of the chat page, each in their own conversation: post a message (the
 * embedded Direct Line answers once the turn is done), then one poll that must hold the reply.
 * The time measured is the post plus that poll: what a visitor waits, less Web Chat's polling interval.
 */
async function directLineVisitors(port: number, seconds: number): Promise<DirectLineFigures> {
  const base = `http://127.0.0.1:${port}`;
  const times: number[] = [];
  let missing = 0;
  const until = performance.now() + seconds * 1000;
  const visitor = async (n: number): Promise<void> => {
    const { token, conversationId } = (await (
      await fetch(`${base}/api/directline/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${token}` };
    await fetch(`${base}/v3/directline/conversations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"locale":"en-US"}',
    });
    const activities = `${base}/v3/directline/conversations/${conversationId}/activities`;
    let watermark = (
      (await (await fetch(`${activities}?watermark=`, { headers: auth })).json()) as { watermark: string }
    ).watermark;
    for (let i = n; performance.now() < until; i++) {
      const start = performance.now();
      await fetch(activities, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: MESSAGES[i % MESSAGES.length], locale: 'en-US' }),
      });
      const page = (await (await fetch(`${activities}?watermark=${watermark}`, { headers: auth })).json()) as {
        activities: { from?: { role?: string } }[];
        watermark: string;
      };
      times.push(performance.now() - start);
      if (!page.activities.some((a) => a.from?.role === 'bot')) missing += 1;
      watermark = page.watermark;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => visitor(n)));
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    visitors: CONCURRENCY,
    messages: times.length,
    perSecond: times.length / elapsed,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    missing,
  };
}

/** When, as shares of the run, `reloadUnderLoad` edits the FAQ file. */
const EDITS_AT = [0.25, 0.625];

/** HTTP load on a server watching its content while the FAQ file is edited at EDITS_AT. */
async function reloadUnderLoad(seconds: number): Promise<Throughput> {
  const server = await startServer('clinic-watching');
  try {
    const contentDir = /CONTENT (.+)\n/.exec(server.out())?.[1];
    if (!contentDir) throw new Error('the watching server did not say where its content is');
    const faqFile = path.join(contentDir, 'faq.yaml');
    const readyz = async () =>
      (await (await fetch(`http://127.0.0.1:${server.port}/readyz`)).json()) as {
        contentVersion: string;
        lastError: unknown;
      };
    await httpThroughput(server.port, WARMUP_SECONDS);
    const edits = EDITS_AT.map((at, n) =>
      sleep(at * seconds * 1000).then(() => fs.appendFileSync(faqFile, `\n# bench edit ${n + 1}\n`)),
    );
    const load = await httpThroughput(server.port, seconds);
    await Promise.all(edits);
    // The last edit must have gone live, or the run measured nothing.
    const expected = loadContent(contentDir).version;
    const until = Date.now() + 30_000;
    for (;;) {
      const status = await readyz();
      if (status.lastError) throw new Error(`an edit was refused: ${JSON.stringify(status.lastError)}`);
      if (status.contentVersion === expected) break;
      if (Date.now() > until) throw new Error('the edits did not go live');
      await sleep(200);
    }
    return load;
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const latency = await inProcessLatency();
  console.log(
    `in-process turn latency (TestAdapter, ${latency.turns} turns): ` +
      `p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
  );
  if (args.includes('--in-process')) return;
  const { throughput, directLine } = await compare();
  const { echo, clinic } = throughput;
  const echoOnClinicAdapter = throughput['echo-clinic-adapter'];
  const f = (r: Throughput): string =>
    `${r.rps.toFixed(0)} turns/s (p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors)`;
  console.log(
    `HTTP expectReplies, ${CONCURRENCY} connections (autocannon), ${WARMUP_SECONDS} s warm-up, ` +
      `${SECONDS} s each in ${ROUNDS} alternating rounds:`,
  );
  console.log(`  echo bot, stock CloudAdapter     ${f(echo)}`);
  console.log(`  echo bot, the clinic's adapter   ${f(echoOnClinicAdapter)}`);
  console.log(`  clinic bot                      ${f(clinic)}`);
  console.log(`  ratio clinic/echo (stock CloudAdapter): ${((100 * clinic.rps) / echo.rps).toFixed(1)} %`);
  console.log(
    "  ratio clinic/echo (both on the clinic's adapter: the cost of the clinic's own work): " +
      `${((100 * clinic.rps) / echoOnClinicAdapter.rps).toFixed(1)} %`,
  );
  console.log(
    `chat page path (embedded Direct Line, ${directLine.visitors} visitors, post + one poll): ` +
      `${directLine.perSecond.toFixed(0)} messages/s, ` +
      `p50 ${directLine.p50.toFixed(1)} ms, p99 ${directLine.p99.toFixed(1)} ms, ` +
      `${directLine.missing} of ${directLine.messages} replies missing from the first poll`,
  );
  const reload = await reloadUnderLoad(SECONDS / ROUNDS);
  console.log(
    `while content goes live (${EDITS_AT.length} edits of faq.yaml in ${SECONDS / ROUNDS} s, ` +
      'each reloaded and retrained): ' +
      `${f(reload)}, slowest reply ${reload.max.toFixed(0)} ms ` +
      `(steady state, same load: p99 ${clinic.p99.toFixed(1)} ms, slowest ${clinic.max.toFixed(0)} ms)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

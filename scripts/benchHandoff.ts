/**
 * Talking to a person under load (issue 15): a hundred patients waiting in the web chat and ten
 * staff replying from the console, all over HTTP against the service started in-process on its
 * embedded defaults (sqlite STATE_STORE in a temporary DATA_DIR, embedded Direct Line). Each
 * patient's page polls its activities every 250 ms; for each staff reply it times the staff POST
 * being sent to the patient's poll first showing it. Passes when that is under a second at p95.
 * Usage: npm run bench:handoff [-- --patients 100 --staff 10 --poll-ms 250]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../bot/app';
import { loadConfig } from '../core/config';
import { SqliteStorage } from '../core/storage/sqliteStorage';
import { StaffAccounts } from '../core/staff/staffAccounts';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '100' },
    staff: { type: 'string', default: '10' },
    'poll-ms': { type: 'string', default: '250' },
  },
});
const PATIENTS = Number(values.patients);
const STAFF = Number(values.staff);
const POLL_MS = Number(values['poll-ms']);
/** Wednesday 2 December 2026, 10:00 in New York (the sample clinic's zone): open. */
const OPEN = new Date('2026-12-02T15:00:00Z');
const PASSWORD = 'bench password for the inbox';
const GOAL_P95_MS = 1000;
const HANDOFF_LINK = /\/staff\/inbox\/([0-9a-f-]{36})"/g;

/** A patient's web chat page: token, conversation, messages, and a poll every POLL_MS. */
class Patient {
  private token = '';
  private conversationId = '';
  private watermark = '';
  private polling = false;
  private loop: Promise<void> = Promise.resolve();
  /** When a poll first showed each text (performance.now()). */
  readonly seen = new Map<string, number>();

  constructor(private readonly base: string) {}

  async open(): Promise<void> {
    const res = await fetch(`${this.base}/api/directline/token`, { method: 'POST', body: '{}', headers: json });
    const body = (await res.json()) as { token: string; conversationId: string };
    this.token = body.token;
    this.conversationId = body.conversationId;
    await this.call('POST', '/v3/directline/conversations', { locale: 'en-US' });
  }

  async say(text: string): Promise<void> {
    const res = await this.call('POST', `/v3/directline/conversations/${this.conversationId}/activities`, {
      type: 'message',
      text,
      locale: 'en-US',
      from: { id: 'whoever' },
    });
    if (res.status !== 200) throw new Error(`a patient's message was refused: ${res.status}`);
  }

  startPolling(): void {
    this.polling = true;
    this.loop = (async () => {
      while (this.polling) {
        const started = performance.now();
        await this.poll();
        await pause(Math.max(0, POLL_MS - (performance.now() - started)));
      }
    })();
  }

  async stopPolling(): Promise<void> {
    this.polling = false;
    await this.loop;
  }

  private async poll(): Promise<void> {
    const res = await this.call(
      'GET',
      `/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
    );
    const at = performance.now();
    const page = (await res.json()) as { activities: { text?: string }[]; watermark: string };
    this.watermark = page.watermark;
    for (const a of page.activities) if (a.text && !this.seen.has(a.text)) this.seen.set(a.text, at);
  }

  private call(method: string, route: string, body?: unknown): Promise<Response> {
    return fetch(`${this.base}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : json) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

const json = { 'content-type': 'application/json' };

/** A staff member in the console: signed in (session cookie), posting forms with the CSRF token. */
class Agent {
  private cookie = '';
  private csrf = '';

  constructor(
    private readonly base: string,
    readonly email: string,
  ) {}

  async signIn(): Promise<void> {
    const form = await fetch(`${this.base}/staff/sign-in`);
    this.cookie = (form.headers.getSetCookie()[0] ?? '').split(';')[0];
    const token = /name="_form" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const res = await this.post('/staff/sign-in', { _form: token, email: this.email, password: PASSWORD });
    const session = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (res.status !== 303 || session.length === 0) throw new Error(`${this.email} could not sign in (${res.status})`);
    this.cookie = session.join('; ');
  }

  /** The inbox page (which also counts as the agent being present): the waiting conversations' ids. */
  async inbox(): Promise<string[]> {
    const res = await fetch(`${this.base}/staff/inbox`, { headers: { cookie: this.cookie, accept: 'text/html' } });
    const body = await res.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? this.csrf;
    return [...new Set([...body.matchAll(HANDOFF_LINK)].map((m) => m[1]))];
  }

  /** The inbox page's own poll (every 2 s in the console). */
  async updates(): Promise<void> {
    const res = await fetch(`${this.base}/staff/inbox/updates?tab=mine&since=0`, {
      headers: { cookie: this.cookie, accept: 'application/json' },
    });
    await res.arrayBuffer();
  }

  /** A console form; answers with its redirect's target. */
  async act(route: string, fields: Record<string, string> = {}): Promise<string> {
    const res = await this.post(route, { _csrf: this.csrf, ...fields });
    await res.arrayBuffer();
    if (res.status !== 303) throw new Error(`${route} answered ${res.status}`);
    return res.headers.get('location') ?? '';
  }

  private post(route: string, fields: Record<string, string>): Promise<Response> {
    return fetch(`${this.base}${route}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.base, cookie: this.cookie },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function figures(label: string, samples: readonly number[]): string {
  const sorted = [...samples].sort((x, y) => x - y);
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  return (
    `${label.padEnd(28)} n=${sorted.length}  p50 ${ms(percentile(sorted, 50))}  ` +
    `p95 ${ms(percentile(sorted, 95))}  max ${ms(sorted.at(-1) ?? NaN)}`
  );
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-handoff-'));
  const emails = Array.from({ length: STAFF }, (_, i) => `agent${i + 1}@clinic.example`);
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CONTENT_WATCH: 'false',
    STAFF_AUTH: 'local',
    STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000',
    // One load generator on 127.0.0.1 is not abuse: the limits would turn the benchmark into a 429 count.
    RATE_LIMIT_IP_PER_MINUTE: '0',
    RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
  });
  if (config.state.store !== 'sqlite') throw new Error('expected the embedded sqlite store');
  // The accounts, as `npm run staff -- add-user` writes them, before the service opens the store.
  const store = new SqliteStorage(config.state.sqlitePath);
  const accounts = new StaffAccounts(store);
  for (const email of emails) await accounts.add(email, 'agent', PASSWORD);
  store.close();

  const app = await createApp(config, { log: pino({ level: 'silent' }), now: () => OPEN });
  const base = `http://127.0.0.1:${(await app.listen()).port}`;
  const patients = Array.from({ length: PATIENTS }, () => new Patient(base));
  const agents = emails.map((email) => new Agent(base, email));
  let staffPolling = true;
  const staffPolls: Promise<void>[] = [];
  try {
    const began = performance.now();
    // One agent at the inbox: patients can be queued for a person.
    await agents[0].signIn();
    await agents[0].inbox();
    await Promise.all(patients.map((p) => p.open()));
    for (const p of patients) p.startPolling();
    await Promise.all(patients.map((p) => p.say('I want to talk to a person')));
    await Promise.all(agents.slice(1).map((a) => a.signIn()));
    const waiting = await agents[0].inbox();
    if (waiting.length !== PATIENTS) throw new Error(`${waiting.length} of ${PATIENTS} patients are waiting`);
    await Promise.all(agents.map((a) => a.inbox()));
    console.log(
      `${PATIENTS} patients waiting, ${STAFF} staff signed in (${((performance.now() - began) / 1000).toFixed(1)} s)`,
    );
    // Each console page keeps polling the inbox meanwhile, as inbox.js does.
    for (const a of agents)
      staffPolls.push(
        (async () => {
          while (staffPolling) {
            await a.updates();
            await pause(2000);
          }
        })(),
      );

    const sentAt = new Map<string, number>();
    const postMs: number[] = [];
    const claimMs: number[] = [];
    const replying = performance.now();
    await Promise.all(
      agents.map(async (agent, i) => {
        const mine = waiting.filter((_, k) => k % STAFF === i);
        for (const id of mine) {
          let t = performance.now();
          const claimed = await agent.act(`/staff/inbox/${id}/claim`);
          claimMs.push(performance.now() - t);
          if (!claimed.includes('done=claimed')) throw new Error(`${agent.email} could not claim: ${claimed}`);
          const text = `Hello, this is ${agent.email.split('@')[0]} about ${id.slice(0, 8)}.`;
          t = performance.now();
          sentAt.set(text, t);
          const replied = await agent.act(`/staff/inbox/${id}/reply`, { text });
          postMs.push(performance.now() - t);
          if (!replied.includes('done=sent')) throw new Error(`${agent.email} could not reply: ${replied}`);
        }
      }),
    );
    const repliedIn = performance.now() - replying;
    const reachedBy = performance.now() + 10_000;
    const found = (): Map<string, number> =>
      new Map(patients.flatMap((p) => [...p.seen].filter(([text]) => sentAt.has(text.replace(/^\*\*.*?\*\* /, '')))));
    while (found().size < sentAt.size && performance.now() < reachedBy) await pause(50);

    const reached = [...found()].map(([text, at]) => at - (sentAt.get(text.replace(/^\*\*.*?\*\* /, '')) ?? at));
    console.log(`${sentAt.size} replies sent in ${(repliedIn / 1000).toFixed(1)} s; ${reached.length} reached a poll`);
    console.log(figures('staff reply → patient poll', reached));
    console.log(figures('staff reply POST', postMs));
    console.log(figures('staff claim POST', claimMs));
    const p95 = percentile(
      [...reached].sort((x, y) => x - y),
      95,
    );
    const ok = reached.length === sentAt.size && p95 < GOAL_P95_MS;
    console.log(
      `${ok ? 'PASS' : 'FAIL'}: ${reached.length}/${sentAt.size} replies reached the patient's poll, ` +
        `p95 ${p95.toFixed(0)} ms (goal < ${GOAL_P95_MS} ms, polling every ${POLL_MS} ms)`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    staffPolling = false;
    await Promise.all(patients.map((p) => p.stopPolling()));
    await Promise.all(staffPolls);
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { MemoryStorage, Storage } from 'botbuilder';
import { App, createApp } from '../../bot/app';
import { createLogger } from '../../bot/logger';
import { testConfig } from './testApp';

export const CHANNEL = 'test';
export const SERVICE_URL = 'http://127.0.0.1:1';

export interface HttpReply {
  status: number;
  /** The raw response body. */
  body: string;
  /** The activities of an `expectReplies` response (empty when there were none or the body is not JSON). */
  activities: { type?: string; text?: string; value?: unknown; attachments?: { content?: unknown }[] }[];
  ms: number;
}

/**
 * The whole service on loopback (createApp, memory state, request limits off), with every log line
 * of the service's own logger at level debug kept, and the state store at hand so a test can tell
 * whether a flow is waiting.
 */
export class HttpBot {
  logs = '';

  constructor(readonly storage: Storage = new MemoryStorage()) {}

  private app: App | undefined;
  private base = '';
  private dataDir = '';
  private n = 0;

  async start(env: Record<string, string> = {}): Promise<this> {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-bot-'));
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        this.logs += chunk.toString();
        done();
      },
    });
    const config = testConfig({
      DATA_DIR: this.dataDir,
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
      ...env,
    });
    this.app = await createApp(config, { log: createLogger('debug', sink), storage: this.storage });
    const { port } = await this.app.listen();
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The service's base URL, e.g. http://127.0.0.1:40123. */
  get url(): string {
    return this.base;
  }

  get dataDirectory(): string {
    return this.dataDir;
  }

  /** Posts a raw body (anything JSON can carry) to /api/messages. */
  async post(body: unknown): Promise<HttpReply> {
    // The monotonic clock: a duration, not a date.
    const started = performance.now();
    const res = await fetch(`${this.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let activities: HttpReply['activities'] = [];
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && 'activities' in parsed && Array.isArray(parsed.activities))
        activities = parsed.activities;
    } catch {
      // Not JSON: the caller checks the status and the body.
    }
    return { status: res.status, body: text, activities, ms: performance.now() - started };
  }

  /** A well-formed activity from `user` in `conversation`, with `fields` on top. */
  activity(conversation: string, user: string, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      type: 'message',
      id: `${conversation}-${++this.n}`,
      channelId: CHANNEL,
      serviceUrl: SERVICE_URL,
      conversation: { id: conversation },
      from: { id: user },
      recipient: { id: 'bot' },
      locale: 'en-US',
      deliveryMode: 'expectReplies',
      ...fields,
    };
  }

  /** A patient's message; returns the texts of the replies. */
  async say(conversation: string, user: string, text: string, fields: Record<string, unknown> = {}): Promise<string[]> {
    const reply = await this.post(this.activity(conversation, user, { text, ...fields }));
    if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
    return reply.activities.map((a) => a.text ?? '');
  }

  /** True when a guided conversation is waiting for this user in this conversation. */
  async flowWaiting(conversation: string, user: string): Promise<boolean> {
    // botbuilder's UserState key (with its trailing slash).
    const key = `${CHANNEL}/users/${user}/`;
    const doc: unknown = (await this.storage.read([key]))[key];
    if (typeof doc !== 'object' || doc === null || !('profile' in doc)) return false;
    const { profile } = doc;
    return typeof profile === 'object' && profile !== null && 'flowIn' in profile && profile.flowIn === conversation;
  }
}

import pino from 'pino';
import { App, AppOverrides, createApp } from '../../bot/app';
import { AppConfig, loadConfig } from '../../core/config';
import { CONTENT_DIR, LOCALES_DIR } from './content';

/** The service's config for tests: loopback, any free port, memory state, real content. */
export function testConfig(extra: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    CONTENT_DIR,
    LOCALES_DIR,
    CONTENT_WATCH: 'false',
    STATE_STORE: 'memory',
    ...extra,
  });
}

/** Starts the real HTTP service; `base` is its http://127.0.0.1:<port>. */
export async function startApp(
  extra: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<{ app: App; base: string; port: number }> {
  const app = await createApp(testConfig(extra), { log: pino({ level: 'silent' }), ...overrides });
  const { port } = await app.listen();
  return { app, base: `http://127.0.0.1:${port}`, port };
}

let sequence = 0;

/** A message activity asking for the replies in the HTTP response (no call back to the channel). */
export function messageActivity(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${++sequence}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1',
    conversation: { id: 'conv-1' },
    from: { id: 'patient-1' },
    recipient: { id: 'bot' },
    locale: 'en-US',
    deliveryMode: 'expectReplies',
    text,
    ...extra,
  };
}

/** POSTs an activity to /api/messages. */
export function postActivity(base: string, activity: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
}

/** The reply texts of an expectReplies response. */
export async function replyTexts(res: Response): Promise<string[]> {
  const body = (await res.json()) as { activities?: { text?: string }[] };
  return (body.activities ?? []).map((a) => a.text ?? '');
}

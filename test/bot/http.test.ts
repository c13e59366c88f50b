import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { ConfigError, loadConfig } from '../../core/config';
import { testConfig } from '../helpers/testApp';

const quiet = pino({ level: 'silent' });

function message(text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    channelId: 'test',
    serviceUrl: 'http://127.0.0.1:1',
    conversation: { id: 'conv-1' },
    from: { id: 'patient-1', name: 'Patient' },
    recipient: { id: 'bot', name: 'Bot' },
    locale: 'en-US',
    deliveryMode: 'expectReplies',
    text,
    ...extra,
  };
}

describe('the HTTP service in local mode', () => {
  let app: App;
  let base: string;

  beforeAll(async () => {
    app = await createApp(testConfig(), { log: quiet });
    const { port } = await app.listen();
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => app.close());

  const post = (body: unknown) =>
    fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('returns the replies in the HTTP response with expectReplies', async () => {
    const res = await post(message('how long does the redness last?'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: { text: string; channelData?: unknown; entities?: unknown[] }[] };
    expect(body.activities).toHaveLength(1);
    expect(body.activities[0].channelData).toMatchObject({ faqId: 'redness-duration' });
    expect(body.activities[0].text).toContain('Source:');
  });

  it('keeps the language choice across turns of the same user', async () => {
    await post(message('español', { from: { id: 'patient-2' }, conversation: { id: 'conv-2' } }));
    const res = await post(message('help', { from: { id: 'patient-2' }, conversation: { id: 'conv-2' } }));
    const body = (await res.json()) as { activities: { text: string }[] };
    expect(body.activities[0].text).toMatch(/^Puedo responder/);
  });

  it('says it is alive on /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports the loaded content version on /readyz', async () => {
    const res = await fetch(`${base}/readyz`);
    const body = (await res.json()) as { status: string; contentVersion: string; entries: number };
    expect(body.status).toBe('ready');
    expect(body.contentVersion).toBe(app.engine().content.version);
    expect(body.entries).toBeGreaterThan(40);
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await post(message('x'.repeat(300 * 1024)));
    expect(res.status).toBe(413);
  });

  it('rejects a body that is not JSON without running a turn', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('configuration and authentication', () => {
  it('refuses to start in production without an app id', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MicrosoftAppId: required when NODE_ENV=production/);
  });

  it('refuses to start in production with an app id but no password', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'app' })).toThrow(/MicrosoftAppPassword/);
  });

  it('runs in local mode in development when no app id is set', () => {
    expect(loadConfig({}).localMode).toBe(true);
    expect(loadConfig({}).port).toBe(3978);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('keeps conversations 30 days, booking records 90 and gap-log days 180 unless configured otherwise', () => {
    expect(loadConfig({}).retention).toEqual({ conversationDays: 30, bookingDays: 90, gapsDays: 180 });
    expect(
      loadConfig({ RETENTION_CONVERSATION_DAYS: '7', RETENTION_BOOKING_DAYS: '365', RETENTION_GAPS_DAYS: '60' })
        .retention,
    ).toEqual({ conversationDays: 7, bookingDays: 365, gapsDays: 60 });
    expect(() => loadConfig({ RETENTION_CONVERSATION_DAYS: '0' })).toThrow(/RETENTION_CONVERSATION_DAYS/);
    expect(() => loadConfig({ RETENTION_GAPS_DAYS: 'forever' })).toThrow(/RETENTION_GAPS_DAYS/);
  });

  it('rejects unauthenticated requests when an app id is configured', async () => {
    const app = await createApp(
      testConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'secret' }),
      {
        log: quiet,
      },
    );
    const { port } = await app.listen();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message('does it hurt?')),
      });
      expect(res.status).toBe(401);
    } finally {
      await app.close();
    }
  });
});

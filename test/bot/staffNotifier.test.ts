import { createHmac } from 'node:crypto';
import pino from 'pino';
import { staffNotifier } from '../../bot/handoff/staffNotifier';

describe('staffNotifier (HANDOFF_NOTIFY_URL)', () => {
  const calls: { url: string; init: RequestInit }[] = [];
  const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: url instanceof Request ? url.url : url.toString(), init: init ?? {} });
    return new Response('{}', { status: 202 });
  }) as typeof fetch;

  beforeEach(() => {
    calls.length = 0;
  });

  it('is off without a URL', () => {
    expect(
      staffNotifier(
        { handoff: { notifyUrl: undefined, notifySecret: undefined }, publicBaseUrl: undefined },
        pino({ level: 'silent' }),
        fakeFetch,
      ),
    ).toBeUndefined();
  });

  it('posts a signed Adaptive Card with the reason, language and inbox link, nothing about the patient', async () => {
    const notify = staffNotifier(
      {
        handoff: { notifyUrl: 'https://example.webhook.office.com/hook', notifySecret: 's3cret' },
        publicBaseUrl: 'https://bot.clinic.example',
      },
      pino({ level: 'silent' }),
      fakeFetch,
    );
    await notify?.({ reason: 'red-flag', lang: 'es', channel: 'msteams' });
    expect(calls).toHaveLength(1);
    const body = typeof calls[0].init.body === 'string' ? calls[0].init.body : '';
    const headers = calls[0].init.headers as Record<string, string>;
    expect(headers['x-clinic-signature']).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(body, 'utf8').digest('hex')}`,
    );
    const json = JSON.parse(body) as Record<string, unknown>;
    expect(json).toMatchObject({
      type: 'message',
      event: 'handoff.waiting',
      reason: 'red-flag',
      lang: 'es',
      inboxUrl: 'https://bot.clinic.example/staff/inbox',
    });
    expect(JSON.stringify(json.attachments)).toContain('AdaptiveCard');
    expect(Object.keys(json).sort()).toEqual(['attachments', 'channel', 'event', 'inboxUrl', 'lang', 'reason', 'type']);
  });

  it('never throws when the receiver fails', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const notify = staffNotifier(
      { handoff: { notifyUrl: 'https://hooks.example/x', notifySecret: undefined }, publicBaseUrl: undefined },
      pino({ level: 'silent' }),
      failing,
    );
    await expect(notify?.({ reason: 'asked', lang: 'en', channel: 'webchat' })).resolves.toBeUndefined();
  });
});

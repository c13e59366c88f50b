import * as net from 'node:net';
import { App } from '../../bot/app';
import { loadConfig } from '../../core/config';
import { clientAddress, limitKey } from '../../core/security/clientAddress';
import { messageActivity, postActivity, replyTexts, startApp } from '../helpers/testApp';

const NO_LIMITS = { RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' };

async function expectTooMany(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(await res.json()).toEqual({
    error: 'too-many-requests',
    message: `Too many requests; try again in ${retryAfter} s.`,
  });
}

describe('request limits', () => {
  it('has sensible defaults for a clinic bot', () => {
    const config = loadConfig({});
    expect(config.rateLimits).toEqual({ ipPerMinute: 120, conversationPerMinute: 30 });
    expect(config.http).toEqual({
      trustProxyHops: 0,
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
    });
    expect(config.maxBodyBytes).toBe(262_144);
  });

  it('names bad limit and timeout settings', () => {
    expect(() => loadConfig({ RATE_LIMIT_IP_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_IP_PER_MINUTE/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS: must not be longer/,
    );
    expect(() => loadConfig({ LOCAL_SERVICE_URLS: 'ftp://files.example' })).toThrow(
      /LOCAL_SERVICE_URLS: "ftp:\/\/files.example"/,
    );
    expect(() => loadConfig({ BotOpenIdMetadata: 'http://metadata.example/openid' })).toThrow(
      /BotOpenIdMetadata: must be an https URL/,
    );
  });

  describe('per client address', () => {
    let app: App;
    let base: string;
    let turns: jest.SpyInstance;
    beforeAll(async () => {
      ({ app, base } = await startApp({ RATE_LIMIT_IP_PER_MINUTE: '3', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' }));
      turns = jest.spyOn(app.bot, 'run');
    });
    afterAll(() => app.close());

    it('answers 429 with Retry-After once a client passes its limit, without running a turn', async () => {
      // X-Forwarded-For is ignored when no proxy is trusted (anyone can send it): one client.
      for (let i = 0; i < 2; i++) {
        const res = await postActivity(base, messageActivity('does it hurt?', { conversation: { id: `c-${i}` } }), {
          'x-forwarded-for': `198.51.100.${i}`,
        });
        expect(res.status).toBe(200);
      }
      // Refused requests count too.
      const malformed = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(malformed.status).toBe(400);
      expect(turns).toHaveBeenCalledTimes(2);
      await expectTooMany(
        await postActivity(base, messageActivity('does it hurt?', { conversation: { id: 'c-4' } }), {
          'x-forwarded-for': '198.51.100.99',
        }),
      );
      expect(turns).toHaveBeenCalledTimes(2);
    });

    it('leaves the health endpoints alone', async () => {
      for (let i = 0; i < 5; i++) expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=1), with a limit per conversation', () => {
    let app: App;
    let base: string;
    const via = (client: string, spoofed = '10.9.9.9') => ({ 'x-forwarded-for': `${spoofed}, ${client}` });
    beforeAll(async () => {
      ({ app, base } = await startApp({
        RATE_LIMIT_IP_PER_MINUTE: '2',
        RATE_LIMIT_CONVERSATION_PER_MINUTE: '2',
        TRUST_PROXY: '1',
      }));
    });
    afterAll(() => app.close());

    it('limits each client by the address the proxy appended, not by what the client wrote', async () => {
      const hi = (n: number) => messageActivity('hi', { conversation: { id: `proxy-${n}` } });
      expect((await postActivity(base, hi(1), via('203.0.113.5', '1.1.1.1'))).status).toBe(200);
      expect((await postActivity(base, hi(2), via('203.0.113.5', '2.2.2.2'))).status).toBe(200);
      // A different left-most entry (written by the client) does not make a new client.
      await expectTooMany(await postActivity(base, hi(3), via('203.0.113.5', '3.3.3.3')));
      // Another client behind the same proxy has its own count.
      expect((await postActivity(base, hi(4), via('203.0.113.6'))).status).toBe(200);
    });

    it('answers 429 once one conversation passes its limit, whoever sends, and other conversations go on', async () => {
      const say = (conversation: string, client: string) =>
        postActivity(base, messageActivity('does it hurt?', { conversation: { id: conversation } }), via(client));
      expect((await say('busy', '203.0.113.20')).status).toBe(200);
      expect((await say('busy', '203.0.113.21')).status).toBe(200);
      await expectTooMany(await say('busy', '203.0.113.22'));
      expect((await say('quiet', '203.0.113.22')).status).toBe(200);
    });
  });

  describe("on the chat page's own endpoints", () => {
    let app: App;
    let base: string;
    beforeAll(async () => {
      ({ app, base } = await startApp({ RATE_LIMIT_IP_PER_MINUTE: '2', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' }));
    });
    afterAll(() => app.close());

    it('answers the token and resume requests of a client past its limit with the same 429', async () => {
      const post = (route: string, body: object): Promise<Response> =>
        fetch(`${base}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post('/api/directline/token', {})).status).toBe(200);
      expect((await post('/api/directline/token', {})).status).toBe(200);
      await expectTooMany(await post('/api/directline/token', {}));
      await expectTooMany(await post('/api/webchat/resume', { token: 'anything' }));
    });
  });
});

/**
 * A raw client that sends `parts` one by one, `everyMs` apart, and reports what came back and when the server closed.
 */
function trickle(port: number, parts: string[], everyMs: number): Promise<{ closedAfterMs: number; response: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let response = '';
    const socket = net.connect(port, '127.0.0.1');
    let i = 0;
    const timer = setInterval(() => {
      if (i < parts.length && !socket.destroyed) socket.write(parts[i++]);
    }, everyMs);
    socket.on('data', (d: Buffer) => (response += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: performance.now() - started, response });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error('the server never closed the connection'));
    }, 10_000).unref();
  });
}

describe('client addresses', () => {
  it('reads the address the trusted proxies vouch for', () => {
    expect(clientAddress('::ffff:127.0.0.1', undefined, 0)).toBe('127.0.0.1');
    expect(clientAddress('10.0.0.2', '203.0.113.7', 0)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '198.51.100.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', '198.51.100.1, 203.0.113.7, 10.0.0.1', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', '203.0.113.7:51234', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', '[2001:db8::1]:443', 1)).toBe('2001:db8::1');
    expect(clientAddress('10.0.0.2', 'garbage', 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '203.0.113.7', 3)).toBe('203.0.113.7');
  });

  it('limits IPv6 clients by their /64', () => {
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(limitKey('203.0.113.7')).toBe('203.0.113.7');
  });
});

/** Short timeouts so the slow-client tests take about a second each; everything else is unaffected. */
const TIMEOUTS = { HTTP_HEADERS_TIMEOUT_MS: '600', HTTP_REQUEST_TIMEOUT_MS: '1200', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' };

describe('the HTTP edge without request limits', () => {
  let app: App;
  let base: string;
  let port: number;
  let turns: jest.SpyInstance;
  beforeAll(async () => {
    ({ app, base, port } = await startApp({ ...NO_LIMITS, ...TIMEOUTS }));
    turns = jest.spyOn(app.bot, 'run');
  });
  afterAll(() => app.close());
  beforeEach(() => turns.mockClear());

  async function expectJsonError(res: Response, status: number, error: string): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe(error);
    expect(body.message.length).toBeLessThan(200);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules|SyntaxError|Unexpected token/);
    expect(turns).not.toHaveBeenCalled();
  }

  it('refuses a huge body with a clean 413 and keeps serving', async () => {
    // Eight times the 256 KB limit: large enough to refuse, small enough that a loaded machine
    // uploads it well within this suite's short request timeout (the 1 GB case is declared below).
    await expectJsonError(
      await postActivity(base, messageActivity('x'.repeat(2 * 1024 * 1024))),
      413,
      'payload-too-large',
    );
    expect((await postActivity(base, messageActivity('does it hurt?'))).status).toBe(200);
  });

  it('answers a declared 1 GB body at once with 413 and closes the connection', async () => {
    const head =
      'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n' +
      'Content-Length: 1000000000\r\n\r\n';
    const { closedAfterMs, response } = await trickle(
      port,
      [head, ...Array.from({ length: 100 }, () => 'x'.repeat(16 * 1024))],
      5,
    );
    expect(response).toMatch(/^HTTP\/1\.1 413/);
    expect(response).toContain('"error":"payload-too-large"');
    expect(closedAfterMs).toBeLessThan(1000);
  });

  it('refuses a streamed body that grows past the limit with 413', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 200) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    await expectJsonError(res, 413, 'payload-too-large');
  });

  it('refuses a compressed body with 415 (no inflating past the limit)', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
    });
    await expectJsonError(res, 415, 'unsupported-media-type');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    await expectJsonError(res, 415, 'unsupported-media-type');
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"type": "message",',
    });
    await expectJsonError(res, 400, 'bad-request');
  });

  it('refuses an empty body with 400', async () => {
    await expectJsonError(
      await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' } }),
      400,
      'bad-request',
    );
  });

  it.each([
    ['an array', []],
    ['a string', 'message'],
    ['null', null],
    ['an activity without a type', { ...messageActivity('hi'), type: undefined }],
    ['an activity without a serviceUrl', { ...messageActivity('hi'), serviceUrl: undefined }],
    ['an activity without a conversation id', { ...messageActivity('hi'), conversation: {} }],
    ['an activity whose conversation id is an object', { ...messageActivity('hi'), conversation: { id: { $ne: 1 } } }],
  ])('refuses %s with 400', async (_what, body) => {
    await expectJsonError(await postActivity(base, body), 400, 'bad-request');
  });

  it('limits nothing when both limits are 0', async () => {
    for (let i = 0; i < 40; i++)
      expect((await postActivity(base, messageActivity('thanks', { conversation: { id: 'chatty' } }))).status).toBe(
        200,
      );
  });

  it('answers an unknown route with a 404 that does not echo the path', async () => {
    const res = await fetch(`${base}/admin/<script>alert(1)</script>`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not-found', message: 'There is nothing here.' });
  });

  it('answers the wrong method with 405 JSON', async () => {
    const res = await fetch(`${base}/api/messages`);
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ error: 'method-not-allowed', message: 'This method is not allowed here.' });
  });

  it('answers an exception outside a turn with 500 JSON and a reference, never its message', async () => {
    app.server.get('/test/throws', async () => {
      throw new Error('internal detail: /srv/secret/path');
    });
    const res = await fetch(`${base}/test/throws`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; message: string; ref: string };
    expect(body).toEqual({
      error: 'internal-error',
      message: `Something went wrong (reference ${body.ref}).`,
      ref: expect.stringMatching(/^[0-9a-f]{8}$/),
    });

    jest.spyOn(app.adapter, 'runTurn').mockRejectedValueOnce(new Error('adapter detail: connector misconfigured'));
    const failed = await postActivity(base, messageActivity('does it hurt?'));
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(text).toMatch(
      /^\{"error":"internal-error","message":"Something went wrong \(reference [0-9a-f]{8}\)\.","ref":"[0-9a-f]{8}"\}$/,
    );
    expect(text).not.toContain('detail');
  });

  it('asks politely to shorten a message over MAX_MESSAGE_CHARS', async () => {
    const res = await postActivity(base, messageActivity(`does it hurt? ${'really '.repeat(400)}`));
    expect(res.status).toBe(200);
    expect((await replyTexts(res)).join(' ')).toMatch(/long/i);
  });

  describe('slow clients', () => {
    it('cuts off a client that trickles its headers', async () => {
      const headerLines = [
        'POST /api/messages HTTP/1.1\r\nHost: bot\r\n',
        ...Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`),
      ];
      const { closedAfterMs, response } = await trickle(port, headerLines, 100);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfterMs).toBeLessThan(600 + 1000);
    });

    it('cuts off a client that trickles its body', async () => {
      const head =
        'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n';
      const { closedAfterMs, response } = await trickle(port, [head, ...Array.from({ length: 200 }, () => ' ')], 50);
      expect(response).toMatch(/^HTTP\/1\.1 408/);
      expect(closedAfterMs).toBeLessThan(1200 + 1000);
    });

    it('closes a connection that opens and says nothing', async () => {
      const { closedAfterMs } = await trickle(port, [], 100);
      expect(closedAfterMs).toBeLessThan(1200 + 1000);
    });

    it('closes an idle kept-alive connection', async () => {
      const request =
        'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n' +
        `Content-Length: ${Buffer.byteLength(JSON.stringify(messageActivity('hi')))}\r\n\r\n` +
        JSON.stringify(messageActivity('hi'));
      const { closedAfterMs, response } = await trickle(port, [request], 1);
      expect(response).toMatch(/^HTTP\/1\.1 200/);
      // Node adds up to a second of grace to the keep-alive timeout.
      expect(closedAfterMs).toBeLessThan(500 + 2000);
    });

    it('keeps answering other clients meanwhile', async () => {
      const slow = trickle(
        port,
        ['POST /api/messages HTTP/1.1\r\nHost: bot\r\n', ...Array.from({ length: 50 }, (_, i) => `X-${i}: y\r\n`)],
        100,
      );
      const res = await postActivity(`http://127.0.0.1:${port}`, messageActivity('does it hurt?'));
      expect(res.status).toBe(200);
      await slow;
    });
  });
});

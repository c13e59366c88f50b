import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { DirectLineVisitor } from '../helpers/directLineClient';
import { ALL_NAUGHTY_STRINGS } from '../helpers/naughtyStrings';
import { HttpBot } from '../helpers/httpBot';

const REDNESS = 'how long does redness last after microneedling?';

describe('the embedded Direct Line (what the chat page talks to)', () => {
  const bot = new HttpBot();
  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  it('greets first, answers with the source, and a reload resumes the same conversation with its history', async () => {
    const visitor = new DirectLineVisitor(bot.url);
    expect((await visitor.open()).status).toBe(201);
    const welcome = await visitor.poll();
    expect(welcome.length).toBeGreaterThan(0);
    expect(welcome[0].from?.role).toBe('bot');
    expect(welcome[0].text).toMatch(/Sample Skin Clinic/);

    const [answer] = await visitor.say(REDNESS);
    expect(answer.text).toMatch(/redness/i);
    expect(answer.text).toMatch(/Source: \[1\]/);
    expect(answer.entities?.[0]).toMatchObject({ '@type': 'Message', citation: expect.any(Array) });

    const again = new DirectLineVisitor(bot.url);
    const reopened = await again.open({ resume: visitor.token });
    expect(reopened).toEqual({ resumed: true, status: 200 });
    expect(again.conversationId).toBe(visitor.conversationId);
    const history = await again.poll();
    expect(history.map((a) => a.text)).toEqual(visitor.seen.map((a) => a.text));
    expect(history.filter((a) => a.text === welcome[0].text)).toHaveLength(1);
    // The conversation goes on where it was.
    expect((await again.say('does it hurt?'))[0].text).toMatch(/numb|cream|discomfort/i);
  });

  it('greets in Spanish when the page is in Spanish', async () => {
    const visitor = new DirectLineVisitor(bot.url);
    await visitor.open({ locale: 'es-ES' });
    const welcome = await visitor.poll();
    expect(welcome[0].text).toMatch(/Hola/);
    expect((await visitor.say('¿cuánto dura el enrojecimiento después del microneedling?', 'es-ES'))[0].text).toMatch(
      /Fuente/,
    );
  });

  it('lets a visitor read and write only their own conversation', async () => {
    const alice = new DirectLineVisitor(bot.url);
    const mallory = new DirectLineVisitor(bot.url);
    await alice.open();
    await mallory.open();
    await alice.say('I have rosacea, can I have microneedling?');
    const target = `/v3/directline/conversations/${alice.conversationId}`;
    for (const [method, path, body] of [
      ['GET', `${target}/activities?watermark=`, undefined],
      ['POST', `${target}/activities`, { type: 'message', text: 'hi' }],
      ['GET', `${target}?watermark=`, undefined],
    ] as const) {
      expect((await mallory.request(method, path, body)).status).toBe(403);
      expect((await mallory.request(method, path, body, '')).status).toBe(403);
      // A token with its payload swapped for another conversation's fails its signature.
      const [, signature] = mallory.token.split('.');
      const [payload] = alice.token.split('.');
      expect((await mallory.request(method, path, body, `${payload}.${signature}`)).status).toBe(403);
    }
    // Resuming with someone else's token is not possible without it; a made-up one starts afresh.
    const stranger = new DirectLineVisitor(bot.url);
    expect((await stranger.open({ resume: `${alice.token.split('.')[0]}.forged` })).resumed).toBe(false);
    expect(stranger.conversationId).not.toBe(alice.conversationId);
  });

  it('stamps the visitor from the token, whatever the posted activity claims', async () => {
    const visitor = new DirectLineVisitor(bot.url);
    await visitor.open();
    await visitor.poll();
    const posted = await visitor.post({
      type: 'message',
      text: 'what is microneedling?',
      from: { id: 'admin', role: 'bot' },
      conversation: { id: 'someone-else' },
      serviceUrl: 'https://attacker.example',
      channelData: { clientActivityID: 'abc', injected: '<script>' },
    });
    expect(posted.status).toBe(200);
    const [echo, reply] = await visitor.poll();
    expect(echo.from).toEqual({ id: expect.stringMatching(/^dl_/), role: 'user' });
    expect(echo.channelData).toEqual({ clientActivityID: 'abc' });
    expect(JSON.stringify(echo)).not.toMatch(/attacker|someone-else|admin/);
    expect(reply.from?.role).toBe('bot');
    expect(JSON.stringify(reply)).not.toMatch(/serviceUrl/);
  });

  it('refuses files, and keeps no typing indicators', async () => {
    const visitor = new DirectLineVisitor(bot.url);
    await visitor.open();
    await visitor.poll();
    expect(
      (await visitor.post({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'data:,' }] }))
        .status,
    ).toBe(400);
    expect(
      (await visitor.request('POST', `/v3/directline/conversations/${visitor.conversationId}/upload?userId=x`, {}))
        .status,
    ).toBe(415);
    expect((await visitor.post({ type: 'typing' })).status).toBe(200);
    expect(await visitor.poll()).toEqual([]);
  });

  it(
    'answers every hostile message and malformed activity with a reply or a clean 400, ' + 'never a failed turn',
    async () => {
      const visitor = new DirectLineVisitor(bot.url);
      await visitor.open();
      await visitor.poll();
      const logsFrom = bot.logs.length;
      const unanswered: string[] = [];
      for (const text of ALL_NAUGHTY_STRINGS) {
        const posted = await visitor.post({ type: 'message', text, locale: 'en-US' });
        expect(posted.status).toBe(200);
        if ((await visitor.poll()).filter((a) => a.from?.role === 'bot').length === 0) unanswered.push(text);
      }
      expect(unanswered).toEqual([]);
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
          const posted = await visitor.post(body as Record<string, unknown>);
          expect([200, 400]).toContain(posted.status);
        }),
        { numRuns: 150 },
      );
      await visitor.poll();
      // No turn failed (the turn-error apology logs at level 50).
      expect(
        bot.logs
          .slice(logsFrom)
          .split('\n')
          .filter((line) => /"level":50/.test(line)),
      ).toEqual([]);
    },
  );

  it('renews the token for the same conversation', async () => {
    const visitor = new DirectLineVisitor(bot.url);
    await visitor.open();
    const refreshed = await visitor.request('POST', '/v3/directline/tokens/refresh');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      conversationId: visitor.conversationId,
      token: expect.any(String),
      expires_in: 3600,
    });
  });

  it('"forget me" also erases the conversation shown on the page, keeping only the confirmation', async () => {
    const visitor = new DirectLineVisitor(bot.url);
    await visitor.open();
    await visitor.say('I had microneedling 3 days ago and my skin is still red');
    await visitor.say('forget me');
    const [done] = await visitor.say('yes');
    expect(done.text).toMatch(/deleted/);
    const reload = new DirectLineVisitor(bot.url);
    await reload.open({ resume: visitor.token });
    const history = await reload.poll();
    expect(history.map((a) => a.text)).toEqual([done.text]);
    expect(JSON.stringify(history)).not.toMatch(/3 days ago/);
  });
});

describe('the chat page', () => {
  const bot = new HttpBot();
  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  it("is served in the browser's language, with a strict content security policy", async () => {
    const es = await fetch(`${bot.url}/`, { headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
    const html = await es.text();
    expect(html).toMatch(/<html lang="es">/);
    expect(html).toMatch(/Nueva conversación/);
    expect(es.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(es.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);
    const en = await (await fetch(`${bot.url}/?lang=en`, { headers: { 'accept-language': 'es' } })).text();
    expect(en).toMatch(/<html lang="en">/);
    expect(await (await fetch(`${bot.url}/`, { headers: { 'accept-language': 'fr-FR,de' } })).text()).toMatch(
      /<html lang="en">/,
    );
  });

  it("serves Web Chat from the project's own dependencies, compressed, and the clinic's logo", async () => {
    const html = await (await fetch(`${bot.url}/`)).text();
    const script = /src="(\/webchat\/[\d.]+\/webchat\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(html).not.toMatch(/https?:\/\/(?!sample-skin)/);
    const bundle = await fetch(`${bot.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    const logo = await fetch(`${bot.url}/webchat/logo`);
    expect(logo.headers.get('content-type')).toBe('image/svg+xml');
  });
});

describe('the chat page with Azure Direct Line (DIRECT_LINE_SECRET)', () => {
  const SECRET = 'the-channel-secret-never-in-a-browser';
  const calls: { path: string; auth: string; body: string }[] = [];
  let azureStatus = 200;
  const azure = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ path: req.url ?? '', auth: req.headers.authorization ?? '', body });
      const refresh = req.url === '/v3/directline/tokens/refresh';
      const ok =
        azureStatus === 200 &&
        (refresh
          ? req.headers.authorization === 'Bearer azure-token-1'
          : req.headers.authorization === `Bearer ${SECRET}`);
      res.writeHead(azureStatus === 200 ? (ok ? 200 : 403) : azureStatus, { 'content-type': 'application/json' });
      res.end(
        ok
          ? JSON.stringify({
              conversationId: 'azure-conv',
              token: refresh ? 'azure-token-2' : 'azure-token-1',
              expires_in: 1800,
            })
          : '{}',
      );
    });
  });
  const bot = new HttpBot();
  beforeAll(async () => {
    await new Promise<void>((resolve) => azure.listen(0, '127.0.0.1', resolve));
    await bot.start({
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: `http://127.0.0.1:${(azure.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    await bot.stop();
    await new Promise((resolve) => azure.close(resolve));
  });

  it('exchanges the secret for a conversation token on the server; the browser never sees the secret', async () => {
    const res = await fetch(`${bot.url}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      token: 'azure-token-1',
      conversationId: 'azure-conv',
      domain: expect.stringMatching(/\/v3\/directline$/),
      webSocket: true,
      resumed: false,
    });
    expect(text).not.toContain(SECRET);
    const generate = calls.find((c) => c.path === '/v3/directline/tokens/generate');
    expect(generate?.auth).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(generate?.body ?? '{}')).toEqual({ user: { id: expect.stringMatching(/^dl_/) } });

    const page = await fetch(`${bot.url}/`);
    expect(await page.text()).not.toContain(SECRET);
    expect(page.headers.get('content-security-policy')).toMatch(
      /connect-src 'self' http:\/\/127\.0\.0\.1:\d+ ws:\/\/127\.0\.0\.1:\d+/,
    );
    // The embedded Direct Line is off: Azure's is the one in use.
    expect((await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST' })).status).toBe(404);
  });

  it('resumes after a reload by refreshing the token, and says when Azure cannot be reached', async () => {
    const resumed = await fetch(`${bot.url}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resume: 'azure-token-1' }),
    });
    expect(await resumed.json()).toMatchObject({ token: 'azure-token-2', conversationId: 'azure-conv', resumed: true });
    azureStatus = 503;
    const down = await fetch(`${bot.url}/api/directline/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(down.status).toBe(502);
    azureStatus = 200;
  });
});

describe('the embedded Direct Line with Bot Framework credentials configured', () => {
  const bot = new HttpBot();
  beforeAll(() =>
    bot.start({ MicrosoftAppId: '00000000-0000-0000-0000-00000000b07a', MicrosoftAppPassword: 'not-used-offline' }),
  );
  afterAll(() => bot.stop());

  it("still runs the page's turns in-process, with no token to fetch and nothing sent out", async () => {
    const visitor = new DirectLineVisitor(bot.url);
    await visitor.open();
    expect((await visitor.poll())[0].text).toMatch(/Sample Skin Clinic/);
    expect((await visitor.say(REDNESS))[0].text).toMatch(/Source/);
    // /api/messages still demands a channel token.
    expect(
      (
        await bot.post({
          type: 'message',
          text: 'hi',
          channelId: 'test',
          serviceUrl: 'http://127.0.0.1:1',
          conversation: { id: 'c' },
          from: { id: 'u' },
        })
      ).status,
    ).toBe(401);
  });
});

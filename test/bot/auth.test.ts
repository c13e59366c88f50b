import { App } from '../../bot/app';
import {
  channelClaims,
  channelToken,
  FakeOpenIdProvider,
  hmacToken,
  RecordingServer,
  SigningKey,
  signingKey,
  TOKEN_SECONDS,
  TOKEN_TIME,
} from '../helpers/fakeChannelAuth';
import { pinDate } from '../helpers/clock';
import { captureLog } from '../helpers/logCapture';
import { messageActivity, postActivity, replyTexts, startApp } from '../helpers/testApp';

const APP_ID = '6c1f6f36-1b9b-4c3e-9a57-0d3a1c2b7e11';
const NO_LIMITS = { RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0' };

// botbuilder validates a token's times against Date and takes no clock: hold Date where the tokens are issued.
beforeAll(() => pinDate(TOKEN_TIME));
afterAll(() => jest.useRealTimers());

/**
 * Production mode, proven offline: the channel's signing keys come from an OpenID provider on
 * loopback (BotOpenIdMetadata), tokens are made here with node:crypto, and botbuilder's own
 * validation decides. A refused request runs no turn and calls nobody.
 */
describe('Bot Framework authentication when an app id is configured', () => {
  const key = signingKey('channel-key-1', ['webchat', 'msteams']);
  let provider: FakeOpenIdProvider;
  let connector: RecordingServer;
  let app: App;
  let base: string;
  let turns: jest.SpyInstance;
  const logged = captureLog();

  beforeAll(async () => {
    provider = await new FakeOpenIdProvider([key]).start();
    connector = await new RecordingServer().start();
    ({ app, base } = await startApp(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-a-real-secret',
        BotOpenIdMetadata: provider.metadataUrl,
        ...NO_LIMITS,
      },
      { log: logged.log },
    ));
    turns = jest.spyOn(app.bot, 'run');
    // botframework-connector prints refused tokens' errors (and the public key) with console.error.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app.close();
    await provider.stop();
    await connector.stop();
  });
  beforeEach(() => turns.mockClear());
  // Nothing is ever sent to the channel: refused requests run no turn, the valid one asks for expectReplies.
  afterEach(() => expect(connector.received).toEqual([]));

  const activity = (extra: Record<string, unknown> = {}) =>
    messageActivity('does it hurt?', {
      serviceUrl: connector.url,
      conversation: { id: 'auth-conv' },
      recipient: { id: APP_ID },
      ...extra,
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function expectRefused(res: Response): Promise<void> {
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized', message: 'A valid Bot Framework token is required.' });
    expect(turns).not.toHaveBeenCalled();
  }

  it('answers a request with a valid channel token', async () => {
    const res = await postActivity(base, activity(), bearer(channelToken(key, channelClaims(APP_ID, connector.url))));
    expect(res.status).toBe(200);
    const texts = await replyTexts(res);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Source:');
    expect(turns).toHaveBeenCalledTimes(1);
    // The keys came from the configured provider, not from login.botframework.com.
    expect(provider.requests).toEqual(
      expect.arrayContaining(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']),
    );
  });

  it('refuses a request without a token', async () => {
    await expectRefused(await postActivity(base, activity()));
  });

  it('refuses a header that is not a bearer token', async () => {
    await expectRefused(await postActivity(base, activity(), { authorization: 'Basic dXNlcjpwYXNz' }));
    await expectRefused(await postActivity(base, activity(), { authorization: 'Bearer not.a.jwt' }));
  });

  it('refuses a token issued for another bot (wrong audience)', async () => {
    await expectRefused(
      await postActivity(
        base,
        activity(),
        bearer(channelToken(key, channelClaims('someone-elses-bot', connector.url))),
      ),
    );
  });

  it('refuses an expired token', async () => {
    // Ten minutes past expiry: beyond the five minutes of clock skew the validator tolerates.
    const expired = channelClaims(APP_ID, connector.url, {
      nbf: TOKEN_SECONDS - 7200,
      iat: TOKEN_SECONDS - 7200,
      exp: TOKEN_SECONDS - 600,
    });
    await expectRefused(await postActivity(base, activity(), bearer(channelToken(key, expired))));
  });

  it('refuses a token that is not valid yet', async () => {
    await expectRefused(
      await postActivity(
        base,
        activity(),
        bearer(channelToken(key, channelClaims(APP_ID, connector.url, { nbf: TOKEN_SECONDS + 3600 }))),
      ),
    );
  });

  it('refuses a token whose serviceUrl claim is not the activity’s serviceUrl', async () => {
    const token = channelToken(key, channelClaims(APP_ID, 'https://attacker.example/'));
    await expectRefused(await postActivity(base, activity(), bearer(token)));
  });

  it('refuses a token without a serviceUrl claim', async () => {
    const { serviceurl: _dropped, ...claims } = channelClaims(APP_ID, connector.url);
    await expectRefused(await postActivity(base, activity(), bearer(channelToken(key, claims))));
  });

  it('refuses a token signed by another key under the channel key’s id (forged signature)', async () => {
    const forger: SigningKey = signingKey(key.kid, ['webchat', 'msteams']);
    await expectRefused(
      await postActivity(base, activity(), bearer(channelToken(forger, channelClaims(APP_ID, connector.url)))),
    );
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const stranger = signingKey('unknown-key', ['webchat']);
    await expectRefused(
      await postActivity(base, activity(), bearer(channelToken(stranger, channelClaims(APP_ID, connector.url)))),
    );
  });

  it('refuses a token from another issuer', async () => {
    const token = channelToken(key, channelClaims(APP_ID, connector.url, { iss: 'https://issuer.attacker.example' }));
    await expectRefused(await postActivity(base, activity(), bearer(token)));
  });

  it('refuses a token whose key is not endorsed for the activity’s channel', async () => {
    const token = channelToken(key, channelClaims(APP_ID, connector.url));
    await expectRefused(await postActivity(base, activity({ channelId: 'slack' }), bearer(token)));
  });

  it('refuses an HMAC token made with the published key as its secret (algorithm confusion)', async () => {
    await expectRefused(
      await postActivity(
        base,
        activity(),
        bearer(hmacToken(key.kid, key.publicPem, channelClaims(APP_ID, connector.url))),
      ),
    );
  });

  it('logs each refusal without the token or the message', async () => {
    const token = channelToken(key, channelClaims('someone-elses-bot', connector.url));
    await expectRefused(await postActivity(base, activity({ text: 'my email is ana@example.com' }), bearer(token)));
    const refusals = logged.lines().filter((l) => l.event === 'auth-refused');
    expect(refusals.length).toBeGreaterThan(0);
    expect(logged.text()).not.toContain(token);
    expect(logged.text()).not.toContain('ana@example.com');
    expect(logged.lines().some((l) => l.event === 'turn-error')).toBe(false);
  });

  it('does not restrict the service URL when the token vouches for it', async () => {
    const serviceUrl = 'https://smba.trafficmanager.net/emea/';
    const res = await postActivity(
      base,
      activity({ serviceUrl }),
      bearer(channelToken(key, channelClaims(APP_ID, serviceUrl))),
    );
    expect(res.status).toBe(200);
    expect(await replyTexts(res)).toHaveLength(1);
  });
});

describe('when the signing keys cannot be fetched', () => {
  it('answers 503 and runs no turn (it cannot tell a good token from a bad one)', async () => {
    const provider = await new FakeOpenIdProvider([]).start();
    const metadataUrl = provider.metadataUrl;
    await provider.stop();
    const key = signingKey('k', ['webchat']);
    const { app, base } = await startApp({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      BotOpenIdMetadata: metadataUrl,
      ...NO_LIMITS,
    });
    const turns = jest.spyOn(app.bot, 'run');
    try {
      const res = await postActivity(base, messageActivity('does it hurt?'), {
        authorization: `Bearer ${channelToken(key, channelClaims(APP_ID, 'http://127.0.0.1:1'))}`,
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(await res.json()).toEqual({
        error: 'unavailable',
        message: 'Authentication is unavailable right now; try again later.',
      });
      expect(turns).not.toHaveBeenCalled();
    } finally {
      await app.close();
    }
  });
});

describe('local mode (no credentials) is not an open relay', () => {
  let connector: RecordingServer;
  let app: App;
  let base: string;
  let turns: jest.SpyInstance;

  beforeAll(async () => {
    connector = await new RecordingServer().start();
    ({ app, base } = await startApp({
      LOCAL_SERVICE_URLS: 'https://tunnel.example.test, http://devbox.test:8080',
      ...NO_LIMITS,
    }));
    turns = jest.spyOn(app.bot, 'run');
  });
  afterAll(async () => {
    await app.close();
    await connector.stop();
  });
  beforeEach(() => turns.mockClear());

  it.each([
    'http://127.0.0.1:9',
    'http://127.8.9.10:9',
    'http://localhost:3979/',
    'http://[::1]:9',
    'https://tunnel.example.test/',
    'http://devbox.test:8080/api',
  ])('answers an activity whose service URL is %s', async (serviceUrl) => {
    const res = await postActivity(base, messageActivity('does it hurt?', { serviceUrl }));
    expect(res.status).toBe(200);
    expect(await replyTexts(res)).toHaveLength(1);
  });

  it.each([
    'https://attacker.example/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5:8080/',
    'http://0.0.0.0:9/',
    'http://127.0.0.1.attacker.example/',
    'http://localhost.attacker.example/',
    'http://attacker.example#@127.0.0.1/',
    'http://devbox.test:8081/',
    'http://tunnel.example.test/',
    'file:///etc/passwd',
    'not a url',
  ])('refuses an activity whose service URL is %s, before any turn', async (serviceUrl) => {
    const res = await postActivity(base, messageActivity('does it hurt?', { serviceUrl, deliveryMode: 'normal' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('LOCAL_SERVICE_URLS') });
    expect(turns).not.toHaveBeenCalled();
  });

  it('still delivers replies to a connector on loopback', async () => {
    const res = await postActivity(
      base,
      messageActivity('does it hurt?', {
        serviceUrl: connector.url,
        deliveryMode: 'normal',
        conversation: { id: 'local-normal' },
      }),
    );
    expect(res.status).toBe(200);
    expect(connector.received).toHaveLength(1);
    expect(connector.received[0].path).toMatch(/^\/v3\/conversations\/local-normal\/activities\//);
  });
});

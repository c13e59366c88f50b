import { Activity, TurnContext } from 'botbuilder';
import { createAdapter } from '../../bot/clinicAdapter';
import { testConfig } from '../helpers/testApp';

const APP_ID = '6c1f6f36-1b9b-4c3e-9a57-0d3a1c2b7e11';

/** The connector and user-token clients botbuilder hands a turn, for each serviceUrl in turn. */
async function clientsOf(
  appId: string | undefined,
  serviceUrls: string[],
  embedded = false,
): Promise<{ connector: unknown; userToken: unknown }[]> {
  const adapter = createAdapter(
    testConfig(appId ? { MicrosoftAppId: appId, MicrosoftAppPassword: 'not-a-real-secret' } : {}).auth,
  );
  const seen: { connector: unknown; userToken: unknown }[] = [];
  for (const [i, serviceUrl] of serviceUrls.entries()) {
    const activity = {
      type: 'message',
      id: `a-${i}`,
      text: 'hi',
      channelId: 'test',
      serviceUrl,
      deliveryMode: 'expectReplies',
      conversation: { id: `c-${i}` },
      from: { id: 'patient' },
      recipient: { id: 'bot' },
    } as Activity;
    const auth = embedded ? await adapter.authenticateEmbedded(activity) : await adapter.authenticate(activity, '');
    await adapter.runTurn(auth, activity, async (context: TurnContext) => {
      seen.push({
        connector: context.turnState.get(adapter.ConnectorClientKey),
        userToken: context.turnState.get(adapter.UserTokenClientKey),
      });
    });
  }
  return seen;
}

describe('the clinic adapter keeps its clients between turns', () => {
  it('gives every turn to the same service URL the same connector client, and another URL its own', async () => {
    const [a, b, c] = await clientsOf(undefined, [
      'http://127.0.0.1:3000/',
      'http://127.0.0.1:3000/',
      'http://127.0.0.1:4000/',
    ]);
    expect(a.connector).toBeDefined();
    expect(b.connector).toBe(a.connector);
    expect(c.connector).not.toBe(a.connector);
    expect(b.userToken).toBe(a.userToken);
  });

  it('does so for the bot’s own credentials on the embedded Direct Line path too', async () => {
    const [a, b] = await clientsOf(APP_ID, ['https://directline.invalid/', 'https://directline.invalid/'], true);
    expect(a.connector).toBeDefined();
    expect(b.connector).toBe(a.connector);
    expect(b.userToken).toBe(a.userToken);
  });

  it('keeps a bounded number: a URL not used for a while gets a new client', async () => {
    const urls = Array.from({ length: 65 }, (_, i) => `http://127.0.0.1:${5000 + i}/`);
    const seen = await clientsOf(undefined, [...urls, urls[64], urls[0]]);
    expect(seen[65].connector).toBe(seen[64].connector); // recently used: kept
    expect(seen[66].connector).not.toBe(seen[0].connector); // the oldest of 65: dropped
  });
});

import { MemoryStorage } from 'botbuilder';
import pino from 'pino';
import { createAdapter } from '../../bot/clinicAdapter';
import { EMBEDDED_SERVICE_URL } from '../../bot/directLine';
import { ProactiveMessenger } from '../../bot/proactiveMessenger';
import { Transcripts } from '../../core/directLine/transcripts';
import { PatientAddresses } from '../../core/proactive/patientAddresses';
import { ChannelStub } from '../helpers/channelStub';

const MESSAGE = { purpose: 'check-in' as const, text: 'How is your skin today?', buttons: ['Fine', 'Not sure'] };

describe('ProactiveMessenger', () => {
  let channel: ChannelStub;
  let addresses: PatientAddresses;
  let waits: number[];
  let messenger: ProactiveMessenger;
  let transcripts: Transcripts;
  const storage = new MemoryStorage();

  beforeAll(async () => {
    channel = await new ChannelStub().start();
  });
  afterAll(() => channel.stop());
  beforeEach(() => {
    channel.received.length = 0;
    channel.answers = [];
    waits = [];
    addresses = new PatientAddresses(storage, () => new Date('2026-12-04T10:00:00Z'));
    transcripts = new Transcripts(storage, { historyMs: 86_400_000, maxActivities: 100, cacheSize: 10 });
    messenger = new ProactiveMessenger({
      adapter: createAdapter({
        appId: undefined,
        appPassword: undefined,
        appType: 'MultiTenant',
        tenantId: undefined,
        openIdMetadata: undefined,
      }),
      addresses,
      transcripts,
      log: pino({ level: 'silent' }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });

  const remember = (conversationId: string, serviceUrl = channel.url) =>
    addresses.remember({
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
      user: { id: 'user-1' },
      bot: { id: 'bot-1', name: 'Clinic' },
      lang: 'en',
    });

  it('sends a true proactive message to the stored conversation, with its quick replies', async () => {
    const key = await remember('conv-a');
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'sent' });
    expect(channel.received).toHaveLength(1);
    expect(channel.received[0].conversationId).toBe('conv-a');
    expect(channel.received[0].activity.text).toBe(MESSAGE.text);
    expect(channel.received[0].activity.suggestedActions?.actions?.map((a) => a.title)).toEqual(['Fine', 'Not sure']);
  });

  it('backs off on 429 as Retry-After says (the connector waits it out), then sends', async () => {
    const key = await remember('conv-b');
    channel.answers = [{ status: 429, retryAfter: '0' }];
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'sent' });
    expect(waits).toEqual([]);
    expect(channel.received).toHaveLength(1);
  });

  it('backs off exponentially on 429 without Retry-After, then sends', async () => {
    const key = await remember('conv-b2');
    channel.answers = [{ status: 429 }, { status: 429 }];
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'sent' });
    expect(waits).toEqual([1000, 2000]);
    expect(channel.received).toHaveLength(1);
  });

  it('gives a throttle that outlasts the retries back to the caller as "retry after"', async () => {
    const key = await remember('conv-c');
    channel.answers = [{ status: 429 }, { status: 429 }, { status: 429 }];
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'retry', afterMs: 4000 });
    expect(channel.received).toHaveLength(0);
  });

  it.each([
    [403, 'forbidden'],
    [404, 'not-found'],
  ] as const)('stops for good on %i, records why, and never calls the channel again', async (status, reason) => {
    const key = await remember(`conv-${status}`);
    channel.answers = [{ status }];
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'stopped', reason });
    expect((await addresses.get(key))?.stopped?.reason).toBe(reason);
    const calls = channel.calls;
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'stopped', reason });
    expect(channel.calls).toBe(calls);
  });

  it('adds the message to an embedded web chat transcript, shown as from a named person', async () => {
    await transcripts.open('web-1', 'visitor-1');
    const key = await remember('web-1', EMBEDDED_SERVICE_URL);
    const outcome = await messenger.deliver(key, [
      { purpose: 'staff-reply', text: 'Hi, this is Marta.', staff: { name: 'Marta' } },
    ]);
    expect(outcome).toEqual({ kind: 'kept' });
    const page = await transcripts.since('web-1', 0);
    expect(page?.activities).toEqual([
      expect.objectContaining({
        text: 'Hi, this is Marta.',
        from: expect.objectContaining({ name: 'Marta', role: 'bot' }),
      }),
    ]);
  });

  it("judges the channel's refusal itself, even with the app's turn-error handler on the adapter", async () => {
    const adapter = createAdapter({
      appId: undefined,
      appPassword: undefined,
      appType: 'MultiTenant',
      tenantId: undefined,
      openIdMetadata: undefined,
    });
    let apologies = 0;
    adapter.onTurnError = async () => {
      apologies += 1;
    };
    const guarded = new ProactiveMessenger({ adapter, addresses, transcripts, log: pino({ level: 'silent' }) });
    const key = await remember('conv-guarded');
    channel.answers = [{ status: 403 }];
    expect(await guarded.deliver(key, [MESSAGE])).toEqual({ kind: 'stopped', reason: 'forbidden' });
    expect(apologies).toBe(0);
  });

  it('has nothing to send to without an address (never asked to be contacted, or forgotten)', async () => {
    const key = await remember('conv-gone');
    await addresses.forget(key);
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'no-address' });
  });
});

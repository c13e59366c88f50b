import pino from 'pino';
import { App, createApp } from '../../bot/app';
import { createStorage } from '../../bot/storage';
import { AppConfig } from '../../core/config';
import { PatientAddresses } from '../../core/proactive/patientAddresses';
import { StaffAccounts } from '../../core/staff/staffAccounts';
import { Azurite } from '../helpers/azurite';
import { ChannelStub } from '../helpers/channelStub';
import { StaffClient, STAFF_PASSWORD } from '../helpers/staffClient';
import { testConfig } from '../helpers/testApp';

/** Wednesday 2 December 2026, 10:00 in New York (the sample clinic's zone): open. */
const OPEN = new Date('2026-12-02T15:00:00Z');
const DAY = 86_400_000;
const MARTA = 'marta@clinic.example';
const LUIS = 'luis@clinic.example';
const HANDOFF_LINK = /\/staff\/inbox\/([0-9a-f-]{36})/g;

jest.setTimeout(120_000);

/**
 * Two instances behind a load balancer sharing one Azure Blob container (Azurite): a patient
 * queued on one is answered by staff on the other, and an aftercare check-in goes once, whichever
 * instances look for it and across a restart.
 */
describe('talking to a person and check-ins across two instances sharing Azure Blob Storage', () => {
  let azurite: Azurite;
  let channel: ChannelStub;
  let config: AppConfig;
  let a: App;
  let b: App;
  const base = { a: '', b: '' };
  let clock = OPEN;

  const start = async (): Promise<{ app: App; base: string }> => {
    const app = await createApp(config, { log: pino({ level: 'silent' }), now: () => clock });
    return { app, base: `http://127.0.0.1:${(await app.listen()).port}` };
  };

  beforeAll(async () => {
    azurite = await Azurite.start();
    channel = await new ChannelStub().start();
    config = testConfig({
      STATE_STORE: 'azure-blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: 'handoff-two-instances',
      STAFF_AUTH: 'local',
      STAFF_SIGNIN_ATTEMPTS_PER_15_MINUTES: '1000',
    });
    // Accounts as `npm run staff -- add-user` writes them, in the shared container.
    const accounts = new StaffAccounts(createStorage(config.state).storage);
    await accounts.add(MARTA, 'agent', STAFF_PASSWORD);
    await accounts.add(LUIS, 'agent', STAFF_PASSWORD);
    ({ app: a, base: base.a } = await start());
    ({ app: b, base: base.b } = await start());
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a, b].map((app) => app?.close()));
    await channel?.stop();
    await azurite?.stop();
  });

  beforeEach(() => {
    clock = OPEN;
    channel.received.length = 0;
  });

  /** The patient writes on the loopback channel, through the instance the load balancer picked. */
  function say(instance: string, conversation: string, text: string): Promise<string[]> {
    const patient = channel.patient(instance, 'directline', () => ({
      localTimezone: 'America/New_York',
      timestamp: clock.toISOString(),
    }));
    return patient(conversation, text);
  }

  async function agent(instance: string, email: string): Promise<StaffClient> {
    const client = new StaffClient(instance);
    expect((await client.signIn(email)).status).toBe(303);
    // The inbox page polled: the agent counts as present on every instance.
    expect((await client.page('/staff/inbox')).res.status).toBe(200);
    return client;
  }

  /** The handoff of the conversation as the inbox lists it (a link per waiting conversation). */
  async function waitingIn(client: StaffClient, conversation: string, on: App): Promise<string> {
    const { body } = await client.page('/staff/inbox');
    const listed = [...body.matchAll(HANDOFF_LINK)].map((m) => m[1]);
    const key = PatientAddresses.keyOf('directline', conversation);
    const record = (await on.handoffs.queue.list({ state: 'waiting' })).find((r) => r.addressKey === key);
    expect(record).toBeDefined();
    expect(listed).toContain(record?.id);
    return record?.id ?? '';
  }

  it('queues a patient on one instance; staff on the other claim, reply, see new messages, resolve', async () => {
    const marta = await agent(base.b, MARTA);
    expect((await say(base.a, 'two-1', 'I want to speak to someone')).join('\n')).toMatch(
      /asked the clinic team to join this chat/,
    );
    const id = await waitingIn(marta, 'two-1', b);

    await marta.page(`/staff/inbox/${id}`);
    const claimed = await marta.post(`/staff/inbox/${id}/claim`, { _csrf: marta.csrf });
    expect(claimed.headers.get('location')).toBe(`/staff/inbox/${id}?done=claimed`);
    const sent = await marta.post(`/staff/inbox/${id}/reply`, { _csrf: marta.csrf, text: 'Hello, how can I help?' });
    expect(sent.headers.get('location')).toBe(`/staff/inbox/${id}?done=sent#reply`);
    // B sent both to the patient's channel at once: nothing waits for A.
    expect(channel.texts('two-1')).toEqual([
      'Marta from the clinic has joined the chat.',
      '**Marta (clinic team):** Hello, how can I help?',
    ]);

    const after = Number(/data-after="(\d+)"/.exec((await marta.page(`/staff/inbox/${id}`)).body)?.[1]);
    expect(await say(base.a, 'two-1', 'is redness on day 2 normal?')).toEqual([]);
    const fresh = await marta.get(`/staff/inbox/${id}/messages?after=${after}`, { accept: 'application/json' });
    const page = (await fresh.json()) as { state: string; items: string };
    expect(page.state).toBe('claimed');
    expect(page.items).toContain('is redness on day 2 normal?');

    const resolved = await marta.post(`/staff/inbox/${id}/resolve`, { _csrf: marta.csrf });
    expect(resolved.headers.get('location')).toBe('/staff/inbox?tab=resolved&done=resolved');
    expect(channel.texts('two-1').at(-1)).toMatch(/Marta has finished; you're back with the bot/);
    expect((await a.handoffs.queue.get(id))?.state).toBe('resolved');
    // A answers again.
    expect((await say(base.a, 'two-1', 'does it hurt?')).join('\n')).toMatch(/Source/);
  });

  it('lets exactly one of two agents claiming at once on the two instances take the conversation', async () => {
    const [luis, marta] = await Promise.all([agent(base.a, LUIS), agent(base.b, MARTA)]);
    await say(base.b, 'two-2', 'talk to a person');
    const id = await waitingIn(luis, 'two-2', a);
    await Promise.all([luis.page(`/staff/inbox/${id}`), marta.page(`/staff/inbox/${id}`)]);

    const answers = await Promise.all([
      luis.post(`/staff/inbox/${id}/claim`, { _csrf: luis.csrf }),
      marta.post(`/staff/inbox/${id}/claim`, { _csrf: marta.csrf }),
    ]);
    const where = answers.map((res) => res.headers.get('location'));
    expect(where.filter((l) => l === `/staff/inbox/${id}?done=claimed`)).toHaveLength(1);
    expect(where.filter((l) => l === `/staff/inbox/${id}?problem=taken`)).toHaveLength(1);
    const winner = where[0]?.endsWith('done=claimed') ? { client: luis, email: LUIS } : { client: marta, email: MARTA };
    expect((await b.handoffs.queue.get(id))?.claimedBy?.id).toBe(winner.email);
    // The patient is told once, with the winner's name.
    expect(channel.texts('two-2')).toEqual([expect.stringMatching(/^(Luis|Marta) from the clinic has joined/)]);

    await winner.client.post(`/staff/inbox/${id}/resolve`, { _csrf: winner.client.csrf });
    expect((await a.handoffs.queue.get(id))?.state).toBe('resolved');
  });

  it('sends a check-in once when both instances look at the same moment, and not again after a restart', async () => {
    expect((await say(base.a, 'two-3', 'I had microneedling today')).join('\n')).toMatch(/check in with you here/);
    expect((await say(base.a, 'two-3', 'Yes, please')).join('\n')).toMatch(/We'll check in with you/);

    clock = new Date(OPEN.getTime() + DAY);
    await Promise.all([a.followups.runDue(), b.followups.runDue()]);
    expect(channel.texts('two-3')).toEqual([expect.stringMatching(/the day after your microneedling/)]);

    // A restarts on the same container (a new owner for its leases); day 1 is never sent again.
    await a.close();
    ({ app: a, base: base.a } = await start());
    clock = new Date(OPEN.getTime() + DAY + 3_600_000);
    await Promise.all([a.followups.runDue(), b.followups.runDue()]);
    expect(channel.texts('two-3')).toHaveLength(1);

    // The next check-in goes once too, from whichever instance claims it.
    clock = new Date(OPEN.getTime() + 3 * DAY);
    await Promise.all([a.followups.runDue(), b.followups.runDue(), a.followups.runDue()]);
    expect(channel.texts('two-3')).toHaveLength(2);
    expect(channel.received.map((r) => r.activity.channelData?.clinic?.purpose)).toEqual(['check-in', 'check-in']);
  });
});

import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { ChannelStub } from '../helpers/channelStub';
import { startApp } from '../helpers/testApp';

/** Wednesday 2 December 2026, 10:00 in New York. */
const TREATED = new Date('2026-12-02T15:00:00Z');
const DAY = 86_400_000;

describe('aftercare check-ins, over HTTP with a loopback channel', () => {
  let app: App;
  let base: string;
  let channel: ChannelStub;
  let clock: Date;

  beforeAll(async () => {
    channel = await new ChannelStub().start();
    ({ app, base } = await startApp({}, { storage: new MemoryStorage(), now: () => clock }));
  });
  afterAll(async () => {
    await app.close();
    await channel.stop();
  });
  beforeEach(() => {
    clock = TREATED;
    channel.received.length = 0;
  });

  // A Teams personal chat in New York; the message's timestamp follows the test's clock.
  const say = (conversation: string, text: string, locale = 'en-US'): Promise<string[]> =>
    channel.patient(base, 'msteams', (id) => ({
      conversation: { id, conversationType: 'personal', tenantId: 'tenant-1' },
      localTimezone: 'America/New_York',
      timestamp: clock.toISOString(),
    }))(conversation, text, locale);

  async function consentTo(conversation: string, locale = 'en-US'): Promise<void> {
    const es = locale.startsWith('es');
    const offer = (
      await say(conversation, es ? 'me hice el microneedling hoy' : 'I had microneedling today', locale)
    ).join('\n');
    expect(offer).toMatch(es ? /te escriba por aquí/ : /check in with you here/);
    const yes = (await say(conversation, es ? 'Sí, por favor' : 'Yes, please', locale)).join('\n');
    expect(yes).toMatch(es ? /Te escribiremos/ : /We'll check in with you/);
  }

  it('asks first, then sends day 1 in working hours; the reply gets day-aware aftercare; stop ends them', async () => {
    await consentTo('t1');
    const forecast = await app.followups.forecast(8);
    expect(forecast.items.filter((i) => i.status === 'scheduled').map((i) => i.checkInDay)).toEqual([1, 3, 7]);

    clock = new Date(TREATED.getTime() + DAY);
    await app.followups.runDue();
    expect(channel.texts('t1')).toEqual([expect.stringMatching(/the day after your microneedling/)]);
    const buttons = channel.received[0].activity.suggestedActions?.actions?.map((a) => a.title);
    expect(buttons).toContain('Stop check-ins');
    // Nothing more that day, however often the scheduler looks.
    clock = new Date(TREATED.getTime() + DAY + 3_600_000);
    await app.followups.runDue();
    expect(channel.received).toHaveLength(1);

    const reply = (await say('t1', "it's still red, is that normal?")).join('\n');
    expect(reply).toMatch(/[Dd]ay 1/);

    expect((await say('t1', 'Stop check-ins')).join('\n')).toMatch(/won't send you any more check-ins/);
    clock = new Date(TREATED.getTime() + 3 * DAY);
    await app.followups.runDue();
    expect(channel.received).toHaveLength(1);
  });

  it('holds a check-in that fell due while nobody sent it until 9:00 the next morning', async () => {
    await consentTo('t2');
    const HOUR = 3_600_000;
    // Day 1 at 23:00 in New York (the service was down at 10:00): too late to write.
    clock = new Date(TREATED.getTime() + DAY + 13 * HOUR);
    await app.followups.runDue();
    clock = new Date(TREATED.getTime() + 2 * DAY - 1 * HOUR - 60_000);
    await app.followups.runDue();
    expect(channel.texts('t2')).toEqual([]);
    // Day 2 at 9:00: it goes.
    clock = new Date(TREATED.getTime() + 2 * DAY - 1 * HOUR);
    await app.followups.runDue();
    expect(channel.texts('t2')).toEqual([expect.stringMatching(/the day after your microneedling/)]);
  });

  it('never plans anything on a no, and "para" stops them in Spanish', async () => {
    await say('t3', 'I had microneedling today');
    expect((await say('t3', 'No, thanks')).join('\n')).toMatch(/won't send check-ins/);
    clock = new Date(TREATED.getTime() + DAY);
    await app.followups.runDue();
    expect(channel.texts('t3')).toEqual([]);

    await consentTo('t4', 'es-ES');
    expect((await say('t4', 'para', 'es-ES')).join('\n')).toMatch(/no te enviaremos más mensajes/);
    await app.followups.runDue();
    expect(channel.texts('t4')).toEqual([]);
  });

  it('tells a patient who asks what is kept that check-ins are planned, with the consent and its date', async () => {
    await consentTo('t6');
    const kept = (await say('t6', 'what do you know about me?')).join('\n');
    expect(kept).toMatch(/Check-ins/);
    expect(kept).toMatch(/to receive check-ins after your treatment \(given 2026-12-02\)/);
  });

  it('"forget me" cancels everything scheduled', async () => {
    await consentTo('t5');
    await say('t5', 'forget me');
    await say('t5', 'yes');
    clock = new Date(TREATED.getTime() + DAY);
    await app.followups.runDue();
    expect(channel.texts('t5')).toEqual([]);
  });
});

import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { AgentPresence } from '../../core/handoff/agentPresence';
import { HandoffRecord } from '../../core/handoff/handoffRecord';
import { PatientAddresses } from '../../core/proactive/patientAddresses';
import { ChannelStub } from '../helpers/channelStub';
import { DirectLineVisitor } from '../helpers/directLineClient';
import { startApp } from '../helpers/testApp';

/** Wednesday 2 December 2026, 10:00 in New York (the sample clinic's zone): open. */
const OPEN = new Date('2026-12-02T15:00:00Z');
/** Sunday 6 December 2026, 12:00 in New York: closed all day. */
const SUNDAY = new Date('2026-12-06T17:00:00Z');
const MARTA = { id: 'marta@clinic.example', name: 'Marta' };

describe('talking to a person, over HTTP with a loopback channel', () => {
  let app: App;
  let base: string;
  let channel: ChannelStub;
  let storage: MemoryStorage;
  let clock: Date;
  let n = 0;

  // One service for every case (each in its own conversation); the clock is set per case.
  beforeAll(async () => {
    channel = await new ChannelStub().start();
    storage = new MemoryStorage();
    ({ app, base } = await startApp({}, { storage, now: () => clock }));
  });
  afterAll(async () => {
    await app.close();
    await channel.stop();
  });
  beforeEach(() => {
    clock = OPEN;
    channel.received.length = 0;
  });

  const agentAtInbox = () => new AgentPresence(storage, { now: () => clock }).heartbeat({ ...MARTA, role: 'agent' });

  const say = (conversation: string, text: string, locale = 'en-US'): Promise<string[]> =>
    channel.patient(base, 'directline')(conversation, text, locale);

  async function waiting(conversation: string): Promise<HandoffRecord> {
    const key = PatientAddresses.keyOf('directline', conversation);
    const record = (await app.handoffs.queue.list({ state: 'waiting' })).find((r) => r.addressKey === key);
    if (!record) throw new Error(`no waiting handoff for ${conversation}`);
    return record;
  }

  it('queues the patient, relays both ways with a named person, keeps red flags first, and hands back', async () => {
    await agentAtInbox();
    const queued = await say('c1', 'I want to speak to someone');
    expect(queued.join('\n')).toMatch(/asked the clinic team to join this chat[\s\S]*Type \*cancel\* to go back/);
    const record = await waiting('c1');
    expect(record).toMatchObject({ reason: 'asked', lang: 'en', channel: 'directline' });
    expect(record.summary).toContain('asked to talk to a person');

    // While waiting: the bot does not answer the question, it passes it on.
    expect((await say('c1', 'does it hurt?')).join('\n')).toMatch(/added that for the person/);

    const claimed = await app.handoffs.queue.claim(record.id, MARTA);
    expect(claimed.ok).toBe(true);
    if (!claimed.ok) return;
    await app.handoffs.notice(claimed.record, { kind: 'claimed', staffName: 'Marta' });
    await app.handoffs.notice(claimed.record, {
      kind: 'staff-reply',
      text: 'Hello, how can I help?',
      staffName: 'Marta',
    });
    expect(channel.texts('c1')).toEqual([
      'Marta from the clinic has joined the chat.',
      '**Marta (clinic team):** Hello, how can I help?',
    ]);
    expect(channel.received[1].activity.channelData?.clinic).toEqual({
      purpose: 'staff-reply',
      sender: 'staff',
      staffName: 'Marta',
    });

    // With a person: the bot stays quiet…
    expect(await say('c1', 'my cheek is still a bit red')).toEqual([]);
    // …except for warning signs, answered at once, and staff see they fired.
    const urgent = await say('c1', 'now my lips are swelling and I cannot breathe');
    expect(urgent.join('\n')).toMatch(/911/);
    const during = await app.handoffs.queue.get(record.id);
    expect(during?.redFlagsFired).toBe(1);
    expect(during?.transcript.map((m) => [m.role, m.text])).toEqual(
      expect.arrayContaining([
        ['patient', 'does it hurt?'],
        ['patient', 'my cheek is still a bit red'],
        ['patient', 'now my lips are swelling and I cannot breathe'],
      ]),
    );

    const resolved = await app.handoffs.queue.resolve(record.id, MARTA);
    if (!resolved.ok) throw new Error('not resolved');
    await app.handoffs.notice(resolved.record, { kind: 'resolved' });
    expect(channel.texts('c1').at(-1)).toMatch(/Marta has finished; you're back with the bot/);
    // The bot answers again.
    expect((await say('c1', 'does it hurt?')).join('\n')).toMatch(/Source/);
  });

  it('says the clinic is closed and when it opens, and offers a callback, queueing nothing', async () => {
    clock = SUNDAY;
    await agentAtInbox();
    const reply = (await say('c2', 'talk to a person')).join('\n');
    expect(reply).toMatch(/the clinic is closed\. It opens again tomorrow at 9:00/);
    expect(reply).toMatch(/call you back/);
    expect(await app.handoffs.queue.byAddress(PatientAddresses.keyOf('directline', 'c2'))).toBeUndefined();
  });

  it('says so in Spanish when nobody is at the inbox during opening hours', async () => {
    clock = new Date(OPEN.getTime() + 3 * 3_600_000);
    const reply = (await say('c3', 'quiero hablar con alguien', 'es-ES')).join('\n');
    expect(reply).toMatch(/no hay nadie del equipo libre/);
    expect(reply).toMatch(/te llame/);
    expect(await app.handoffs.queue.byAddress(PatientAddresses.keyOf('directline', 'c3'))).toBeUndefined();
  });

  it('tells the patient when nobody picked up in time and offers a callback; the bot answers again', async () => {
    await agentAtInbox();
    await say('c4', 'agent');
    await waiting('c4');
    clock = new Date(OPEN.getTime() + 11 * 60_000);
    expect(await app.handoffs.expire(clock, 10 * 60_000)).toBeGreaterThanOrEqual(1);
    expect(channel.texts('c4')).toEqual([
      expect.stringMatching(/nobody from the team could pick up your chat in time/),
    ]);
    expect(channel.received[0].activity.suggestedActions?.actions?.map((a) => a.title)).toEqual([
      'Request a callback',
      'No thanks',
    ]);
    expect((await say('c4', 'does it hurt?')).join('\n')).toMatch(/Source/);
  });

  it('goes back to the bot when the waiting patient types cancel', async () => {
    await agentAtInbox();
    await say('c5', 'can I talk to a real person?');
    const record = await waiting('c5');
    expect((await say('c5', 'cancel')).join('\n')).toMatch(/back with the bot/);
    expect((await app.handoffs.queue.get(record.id))?.state).toBe('abandoned');
  });

  it('offers a person after two unanswered questions in a row, and hands over for that reason', async () => {
    await agentAtInbox();
    expect((await say('c6', 'what colour is the clinic sofa?')).join('\n')).not.toMatch(/person at the clinic/);
    expect((await say('c6', 'what music do you play in the waiting room?')).join('\n')).toMatch(
      /a person at the clinic can talk with you here/,
    );
    await say('c6', 'Talk to a person');
    expect((await waiting('c6')).reason).toBe('unanswered');
  });

  it('offers a person after the urgent guidance for warning signs, never before it', async () => {
    const replies = await say('c7', 'I have pus and a fever since yesterday');
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(replies[0]).toMatch(/call|llam/i);
    expect(replies.at(-1)).toMatch(/a person at the clinic can talk with you here/);
  });

  it('follows a handoff.status event from a provider on the channel side: completed hands back', async () => {
    await agentAtInbox();
    await say('c9', 'talk to a person');
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'event',
        name: 'handoff.status',
        value: { state: 'completed', message: 'Lucía' },
        id: `e-${++n}`,
        channelId: 'directline',
        serviceUrl: channel.url,
        conversation: { id: 'c9' },
        from: { id: 'user-c9' },
        recipient: { id: 'bot', name: 'Clinic' },
        deliveryMode: 'expectReplies',
      }),
    });
    const replies = ((await res.json()) as { activities: { text?: string }[] }).activities.map((a) => a.text);
    expect(replies).toEqual([expect.stringMatching(/Lucía has finished; you're back with the bot/)]);
    expect(await app.handoffs.queue.byAddress(PatientAddresses.keyOf('directline', 'c9'))).toBeUndefined();
    expect((await say('c9', 'does it hurt?')).join('\n')).toMatch(/Source/);
  });

  it('shows staff the web chat so far, and a staff reply appears in the chat marked with their name', async () => {
    await agentAtInbox();
    const visitor = new DirectLineVisitor(base);
    await visitor.open();
    await visitor.say('how many sessions will I need?');
    await visitor.say('I would like to talk to a person');
    const record = (await app.handoffs.queue.list({ state: 'waiting' })).find((r) =>
      r.transcript.some((m) => m.text === 'how many sessions will I need?'),
    );
    expect(record?.transcript.map((m) => m.role)).toEqual(expect.arrayContaining(['patient', 'bot']));
    if (!record) return;
    const claimed = await app.handoffs.queue.claim(record.id, MARTA);
    if (!claimed.ok) throw new Error('not claimed');
    expect(await app.handoffs.notice(claimed.record, { kind: 'staff-reply', text: 'Hi!', staffName: 'Marta' })).toEqual(
      {
        kind: 'kept',
      },
    );
    const shown = await visitor.poll();
    expect(shown).toEqual([
      expect.objectContaining({
        text: '**Marta (clinic team):** Hi!',
        from: expect.objectContaining({ name: 'Marta' }),
      }),
    ]);
  });

  it('starts a callback request through the booking flow', async () => {
    clock = SUNDAY;
    await say('c8', 'talk to a person');
    expect((await say('c8', 'Request a callback')).join('\n')).toMatch(/ask the clinic to call you back/);
  });
});

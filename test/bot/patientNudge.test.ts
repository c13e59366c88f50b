import { MemoryStorage } from 'botbuilder';
import pino from 'pino';
import { App } from '../../bot/app';
import { NudgingMessenger } from '../../bot/patientNudge';
import { BookingOutbox } from '../../core/booking/outbox';
import { ResumeLinks } from '../../core/directLine/resumeLinks';
import { PatientAddresses } from '../../core/proactive/patientAddresses';
import { DeliveryOutcome } from '../../core/proactive/patientMessenger';
import { BOOKING_CONVERSATION, hmacSignature } from '../helpers/bookingRequests';
import { ChannelStub } from '../helpers/channelStub';
import { DirectLineVisitor } from '../helpers/directLineClient';
import { NudgeReceiver } from '../helpers/nudgeReceiver';
import { startApp } from '../helpers/testApp';

const STATUS_SECRET = 'status-secret-for-tests';
const NUDGE_SECRET = 'nudge-secret-for-tests';
const TOKEN_KEY = 'a-direct-line-token-key-of-32-characters-or-more';
const PUBLIC_BASE_URL = 'https://chat.clinic.example';

const BOOKING = BOOKING_CONVERSATION.en;
const sign = hmacSignature;

describe('nudging a patient the channel cannot reach now', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;
  let receiver: NudgeReceiver;
  let channel: ChannelStub;

  beforeAll(async () => {
    receiver = await new NudgeReceiver().start();
    channel = await new ChannelStub().start();
    storage = new MemoryStorage();
    ({ app, base } = await startApp(
      {
        BOOKING_SIGNING_SECRET: STATUS_SECRET,
        NUDGE_WEBHOOK_URL: receiver.url,
        NUDGE_WEBHOOK_SECRET: NUDGE_SECRET,
        PUBLIC_BASE_URL,
        DIRECT_LINE_TOKEN_KEY: TOKEN_KEY,
      },
      { storage },
    ));
  });
  afterAll(async () => {
    await app.close();
    await channel.stop();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.status = 202;
  });

  async function requestIds(): Promise<string[]> {
    return (await new BookingOutbox(storage).listing()).map((r) => r.request.requestId);
  }

  /** The one booking request sent since `before` was listed. */
  async function newRequestId(before: string[]): Promise<string> {
    const added = (await requestIds()).filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    return added[0];
  }

  /** A patient books on the web chat page (the embedded Direct Line); returns the request id. */
  async function bookOnWebChat(): Promise<{ visitor: DirectLineVisitor; requestId: string }> {
    const before = await requestIds();
    const visitor = new DirectLineVisitor(base);
    await visitor.open();
    for (const text of BOOKING) await visitor.say(text);
    return { visitor, requestId: await newRequestId(before) };
  }

  function postStatus(requestId: string, update: Record<string, unknown>): Promise<Response> {
    const body = JSON.stringify(update);
    return fetch(`${base}/api/bookings/${requestId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-booking-signature': sign(body, STATUS_SECRET) },
      body,
    });
  }

  function resume(token: unknown): Promise<Response> {
    return fetch(`${base}/api/webchat/resume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  }

  it("nudges a web chat patient through the clinic's system: a signed link, no message, no health detail", async () => {
    const { requestId } = await bookOnWebChat();
    const res = await postStatus(requestId, {
      status: 'confirmed',
      when: '2026-12-10T15:30:00Z',
      message: 'Arrive 10 minutes early.',
    });
    expect(res.status).toBe(200);

    expect(receiver.received).toHaveLength(1);
    const [nudge] = receiver.received;
    expect(nudge.json).toEqual({
      event: 'patient.nudge',
      purpose: 'booking-status',
      lang: 'en',
      delivery: 'kept',
      link: expect.stringMatching(/^https:\/\/chat\.clinic\.example\/\?resume=[\w-]+\.[\w-]+$/),
      bookingRequestIds: [requestId],
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(nudge.headers['x-clinic-signature']).toBe(sign(nudge.body, NUDGE_SECRET));
    for (const detail of ['Arrive', 'confirmed', 'December', 'Microneedling', 'Ana', 'ana@example.com', 'mornings'])
      expect(nudge.body.toLowerCase()).not.toContain(detail.toLowerCase());
  });

  it('reopens the conversation from the link, where the message waits; refuses a forged or expired link', async () => {
    const { visitor, requestId } = await bookOnWebChat();
    expect((await postStatus(requestId, { status: 'declined' })).status).toBe(200);
    const link = new URL(receiver.received[0]?.json.link ?? '');
    const token = link.searchParams.get('resume') ?? '';
    // The token is opaque: neither the patient's name nor the message is in it.
    expect(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).not.toMatch(/Ana|declin|offer/i);

    const [payload, signature] = token.split('.');
    const tampered = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const expired = new ResumeLinks(Buffer.from(TOKEN_KEY), 3600, () => Math.floor(Date.now() / 1000) - 7200).issue(
      visitor.conversationId,
      'dl_someone',
    );
    for (const forged of [tampered, visitor.token, expired, 'not-a-token', `${payload}.`])
      expect((await resume(forged)).status).toBe(403);
    expect((await resume(42)).status).toBe(400);
    // A genuine link whose conversation's history is gone.
    const gone = new ResumeLinks(Buffer.from(TOKEN_KEY), 3600).issue('no-such-conversation', 'dl_someone');
    expect((await resume(gone)).status).toBe(404);

    const opened = await resume(token);
    expect(opened.status).toBe(200);
    const conversation = (await opened.json()) as Record<string, unknown>;
    expect(conversation).toEqual({
      conversationId: visitor.conversationId,
      token: expect.any(String),
      expires_in: expect.any(Number),
      domain: null,
      path: '/v3/directline',
      webSocket: false,
      resumed: true,
    });
    // The returning patient (another browser: no token of their own) sees the message.
    const returning = new DirectLineVisitor(base);
    returning.token = String(conversation.token);
    returning.conversationId = visitor.conversationId;
    const texts = (await returning.poll()).map((a) => a.text ?? '');
    expect(texts).toContainEqual(expect.stringContaining('could not offer a consultation'));
    expect(texts).toContain('Ana García');
  });

  it('nudges once in a while for one web chat: the link shows every message since', async () => {
    const first = await bookOnWebChat();
    expect((await postStatus(first.requestId, { status: 'confirmed' })).status).toBe(200);
    expect((await postStatus(first.requestId, { status: 'rescheduled', when: '2026-12-11T14:00:00Z' })).status).toBe(
      200,
    );
    expect(receiver.received).toHaveLength(1);
  });

  it('nudges without a link when the channel refused for good, and a failing webhook changes nothing', async () => {
    const before = await requestIds();
    const patient = channel.patient(base, 'directline');
    for (const text of BOOKING) await patient('conv-blocked', text);
    const requestId = await newRequestId(before);
    // The channel refused this conversation for good earlier (the app was blocked).
    await new PatientAddresses(storage).stop(PatientAddresses.keyOf('directline', 'conv-blocked'), 'forbidden');
    receiver.status = 500;
    expect((await postStatus(requestId, { status: 'confirmed' })).status).toBe(200);
    expect(receiver.received.map((r) => r.json)).toEqual([
      {
        event: 'patient.nudge',
        purpose: 'booking-status',
        lang: 'en',
        delivery: 'not-delivered',
        bookingRequestIds: [requestId],
        sentAt: expect.any(String),
      },
    ]);
  });
});

describe('NudgingMessenger', () => {
  const MESSAGE = { purpose: 'check-in' as const, text: 'How is your skin today?' };
  const log = pino({ level: 'silent' });

  async function setup(outcome: DeliveryOutcome, fetchImpl: typeof fetch) {
    const addresses = new PatientAddresses(new MemoryStorage());
    const key = await addresses.remember({
      channelId: 'directline',
      serviceUrl: 'http://127.0.0.1/embedded-directline',
      conversation: { id: 'conv-1' },
      user: { id: 'dl_user' },
      bot: { id: 'bot' },
      lang: 'es',
    });
    const messenger = new NudgingMessenger(
      { deliver: async () => outcome },
      { url: 'https://sms.clinic.example/nudge', addresses, log, fetch: fetchImpl },
    );
    return { addresses, key, messenger };
  }

  it('nudges without a link when the web chat history is gone, with the latest 20 booking requests', async () => {
    const bodies: string[] = [];
    const { addresses, key, messenger } = await setup({ kind: 'no-address' }, async (_url, init) => {
      bodies.push(typeof init?.body === 'string' ? init.body : '');
      return new Response(null, { status: 204 });
    });
    for (let i = 0; i < 25; i += 1) await addresses.addRequest(key, `request-${i}`);
    await addresses.addRequest(key, 'request-24');
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'no-address' });
    const nudge = JSON.parse(bodies[0]) as Record<string, unknown>;
    expect(nudge).toMatchObject({ purpose: 'check-in', lang: 'es', delivery: 'not-delivered' });
    expect(nudge.link).toBeUndefined();
    expect(nudge.bookingRequestIds).toEqual(Array.from({ length: 20 }, (_, i) => `request-${i + 5}`));
  });

  it('keeps the booking requests when the patient is reached from the same conversation again', async () => {
    const { addresses, key } = await setup({ kind: 'sent' }, fetch);
    await addresses.addRequest(key, 'request-1');
    const address = await addresses.get(key);
    if (!address) throw new Error('no address');
    const { savedAt: _savedAt, requestIds: _ids, ...again } = address;
    await addresses.remember(again);
    expect((await addresses.get(key))?.requestIds).toEqual(['request-1']);
  });

  it('sends nothing for a message the channel took, nor for a patient who asked to be forgotten', async () => {
    const calls: unknown[] = [];
    const record: typeof fetch = async (url) => {
      calls.push(url);
      return new Response(null, { status: 204 });
    };
    const sent = await setup({ kind: 'sent' }, record);
    expect(await sent.messenger.deliver(sent.key, [MESSAGE])).toEqual({ kind: 'sent' });
    const forgotten = await setup({ kind: 'no-address' }, record);
    await forgotten.addresses.forget(forgotten.key);
    expect(await forgotten.messenger.deliver(forgotten.key, [MESSAGE])).toEqual({ kind: 'no-address' });
    expect(calls).toEqual([]);
  });

  it('never throws a failed nudge at the caller', async () => {
    const { key, messenger } = await setup({ kind: 'stopped', reason: 'forbidden' }, async () => {
      throw new TypeError('fetch failed');
    });
    expect(await messenger.deliver(key, [MESSAGE])).toEqual({ kind: 'stopped', reason: 'forbidden' });
  });
});

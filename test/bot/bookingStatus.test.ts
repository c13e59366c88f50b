import { MemoryStorage } from 'botbuilder';
import { App } from '../../bot/app';
import { BookingOutbox } from '../../core/booking/outbox';
import { BOOKING_CONVERSATION, hmacSignature } from '../helpers/bookingRequests';
import { ChannelStub } from '../helpers/channelStub';
import { startApp } from '../helpers/testApp';

const SECRET = 'status-secret-for-tests';

function sign(body: string, secret = SECRET): string {
  return hmacSignature(body, secret);
}

describe('POST /api/bookings/{requestId}/status', () => {
  let app: App;
  let base: string;
  let storage: MemoryStorage;
  let channel: ChannelStub;

  beforeAll(async () => {
    channel = await new ChannelStub().start();
    storage = new MemoryStorage();
    ({ app, base } = await startApp({ BOOKING_SIGNING_SECRET: SECRET }, { storage }));
  });
  afterAll(async () => {
    await app.close();
    await channel.stop();
  });

  const say = (conversation: string, locale: string, text: string): Promise<string[]> =>
    channel.patient(base, 'directline')(conversation, text, locale);

  /** A patient books from a conversation; returns the request id the clinic's system got. */
  async function book(conversation: string, lang: 'en' | 'es'): Promise<string> {
    for (const text of BOOKING_CONVERSATION[lang]) await say(conversation, lang === 'en' ? 'en-US' : 'es-ES', text);
    const records = await new BookingOutbox(storage).listing();
    const ids = records.map((r) => r.request.requestId);
    const id = ids[ids.length - 1];
    expect(id).toBeDefined();
    return id;
  }

  function postStatus(requestId: string, body: string, signature?: string): Promise<Response> {
    return fetch(`${base}/api/bookings/${requestId}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-booking-signature': signature } : {}) },
      body,
    });
  }

  it('tells the patient, in their conversation and language, that the clinic confirmed, in its time zone', async () => {
    const requestId = await book('conv-es', 'es');
    const body = JSON.stringify({
      status: 'confirmed',
      when: '2026-12-10T15:30:00Z',
      message: 'Llega 10 minutos antes.',
    });
    const res = await postStatus(requestId, body, sign(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ requestId, status: 'confirmed', repeat: false });
    const texts = channel.texts('conv-es');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('La clínica confirmó tu consulta para el jueves, 10 de diciembre de 2026, 10:30');
    expect(texts[0]).toContain('Llega 10 minutos antes.');
    expect(channel.received[0].activity.channelData?.clinic?.purpose).toBe('booking-status');
    const record = await new BookingOutbox(storage).get(requestId);
    expect(record?.clinicUpdates?.map((u) => u.status)).toEqual(['confirmed']);
  });

  it('accepts a repeat once and changes nothing: the patient is told once', async () => {
    const requestId = await book('conv-repeat', 'en');
    const body = JSON.stringify({ status: 'declined' });
    const first = await postStatus(requestId, body, sign(body));
    const again = await postStatus(requestId, body, sign(body));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ requestId, status: 'declined', repeat: true });
    expect(channel.texts('conv-repeat')).toEqual([expect.stringContaining('could not offer a consultation')]);
    expect((await new BookingOutbox(storage).get(requestId))?.clinicUpdates).toHaveLength(1);
  });

  it('tells a later change (moved after confirmed) as a new update', async () => {
    const requestId = await book('conv-moved', 'en');
    for (const body of [
      JSON.stringify({ status: 'confirmed', when: '2026-12-10T15:30:00Z' }),
      JSON.stringify({ status: 'rescheduled', when: '2026-12-11T14:00:00-05:00' }),
    ])
      expect((await postStatus(requestId, body, sign(body))).status).toBe(200);
    expect(channel.texts('conv-moved')).toEqual([
      expect.stringContaining('confirmed your consultation for Thursday, December 10, 2026 at 10:30'),
      expect.stringContaining('moved your consultation to Friday, December 11, 2026 at 2:00'),
    ]);
  });

  it('refuses an unsigned call, a wrong signature or one over another body with 401, changing nothing', async () => {
    const requestId = await book('conv-forged', 'en');
    const body = JSON.stringify({ status: 'confirmed' });
    const other = JSON.stringify({ status: 'declined' });
    for (const signature of [
      undefined,
      sign(body, 'wrong-secret'),
      sign(other),
      'sha256=zz',
      sign(body).toUpperCase().replace('SHA256', 'md5'),
    ]) {
      const res = await postStatus(requestId, body, signature);
      expect(res.status).toBe(401);
    }
    expect(channel.texts('conv-forged')).toEqual([]);
    expect((await new BookingOutbox(storage).get(requestId))?.clinicUpdates).toBeUndefined();
  });

  it('answers an unknown id with 404 and a bad body with 400 (both signed)', async () => {
    const body = JSON.stringify({ status: 'confirmed' });
    expect((await postStatus('4b1d8c36-6f0e-4bde-9c43-7d2f0f5b9e11', body, sign(body))).status).toBe(404);
    expect((await postStatus('not-a-uuid', body, sign(body))).status).toBe(404);
    const requestId = await book('conv-bad', 'en');
    for (const bad of [JSON.stringify({ status: 'maybe' }), JSON.stringify({ status: 'confirmed', when: 'tomorrow' })])
      expect((await postStatus(requestId, bad, sign(bad))).status).toBe(400);
  });
});

describe('the status endpoint without BOOKING_SIGNING_SECRET', () => {
  it('refuses every call: nobody could prove who sent it', async () => {
    const { app, base } = await startApp();
    try {
      const body = JSON.stringify({ status: 'confirmed' });
      const res = await fetch(`${base}/api/bookings/4b1d8c36-6f0e-4bde-9c43-7d2f0f5b9e11/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-booking-signature': sign(body, '') },
        body,
      });
      expect(res.status).toBe(401);
    } finally {
      await app.close();
    }
  });
});

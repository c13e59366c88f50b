import { MemoryStorage } from 'botbuilder';
import { BookingRelay, RelayOptions } from '../../core/booking/bookingRelay';
import { DeliveryClient } from '../../core/booking/deliveryClient';
import { BookingOutbox } from '../../core/booking/outbox';
import { MemoryGapStore } from '../../core/gaps/gapLog';
import { BookingEndpoint } from '../helpers/bookingEndpoint';
import { silentLog } from '../helpers/bookingRequests';
import { advanceUntilSettled, fakeNow, useFakeClock } from '../helpers/clock';
import { Conversation, FakeBookingDesk } from '../helpers/conversation';

const USER_KEY = 'test/users/patient/';
const CONVERSATION_KEY = 'test/conversations/conversation/';
const BOOKING = [
  'i want to book',
  'Ana García',
  'ana@example.com',
  'No thanks',
  'weekday mornings',
  'Microneedling',
  'No note',
  'yes',
  'Send request',
];
const RESERVA = [
  'quiero pedir cita',
  'Lucía Pérez',
  'lucia@example.com',
  'no',
  'martes por la tarde',
  'Microneedling',
  'Sin nota',
  'sí',
  'Enviar solicitud',
];

async function sayAll(chat: Conversation, messages: readonly string[]): Promise<string[]> {
  let last: string[] = [];
  for (const m of messages) last = await chat.say(m);
  return last;
}

async function stored(storage: MemoryStorage, key: string): Promise<Record<string, unknown> | undefined> {
  return (await storage.read([key]))[key];
}

const FAST: RelayOptions = {
  timeoutMs: 1_000,
  maxAttempts: 2,
  initialDelayMs: 20,
  maxDelayMs: 50,
  breakerThreshold: 10,
  breakerOpenMs: 200,
  sweepMs: 50,
  turnWaitMs: 300,
};

describe('"forget me"', () => {
  it('asks first, then deletes the language choice, the last answer and the conversation (English)', async () => {
    const storage = new MemoryStorage();
    const gaps = new MemoryGapStore();
    const chat = await Conversation.start({ storage, gaps });
    await chat.say('español');
    await chat.say('English');
    expect((await chat.say('does it hurt?'))[0]).toMatch(/Source:/);
    expect(await stored(storage, USER_KEY)).toMatchObject({
      profile: { language: 'en', lastAnswer: { faqId: 'pain' } },
    });

    const ask = await chat.say('forget me');
    expect(ask).toEqual([expect.stringMatching(/^This deletes what I hold about you: .* Are you sure\?$/)]);
    expect(chat.buttons()).toEqual(['Yes', 'No']);
    expect(await stored(storage, USER_KEY)).toMatchObject({ profile: { language: 'en' } });

    const done = await chat.say('yes');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatch(/^Done: I've deleted what I held about you and this conversation\./);
    expect(done[0]).toMatch(
      new RegExp(
        "What I can't delete: questions I couldn't answer well are kept .* " +
          'with email addresses, phone numbers and names removed',
      ),
    );
    expect(done[0]).not.toMatch(/withdrawn|reached the clinic/);
    expect(await stored(storage, USER_KEY)).toBeUndefined();
    expect(await stored(storage, CONVERSATION_KEY)).toBeUndefined();

    // The last answer is gone: "that didn't help" has nothing to record any more.
    await chat.say("that didn't help");
    await chat.flushGaps();
    expect(gaps.records).toEqual([]);
  });

  it(
    'forgets the language choice in Spanish ("borra mis datos", "sí"), ' +
      'and the next reply follows the channel again',
    async () => {
      const storage = new MemoryStorage();
      const chat = await Conversation.start({ storage });
      expect((await chat.say('español'))[0]).toMatch(/español/);
      expect((await chat.say('¿duele?'))[0]).toMatch(/Fuente:/);
      expect(await chat.say('borra mis datos')).toEqual([
        expect.stringMatching(/^Esto borra lo que guardo sobre ti: .* ¿Seguro que quieres borrarlo\?$/),
      ]);
      expect(chat.buttons()).toEqual(['Sí', 'No']);
      const done = await chat.say('sí');
      expect(done[0]).toMatch(/^Hecho: he borrado lo que guardaba sobre ti y esta conversación\./);
      expect(done[0]).toMatch(/Lo que no puedo borrar/);
      expect(await stored(storage, USER_KEY)).toBeUndefined();
      expect((await chat.say('help'))[0]).toMatch(/^I can answer questions about microneedling/);
    },
  );

  it.each(['olvídame', 'elimina mis datos', 'delete my data', 'erase my information', 'Forget me!'])(
    'is understood as "%s"',
    async (phrase) => {
      const chat = await Conversation.start();
      expect((await chat.say(phrase))[0]).toMatch(/^(This deletes|Esto borra)/);
    },
  );

  it('keeps everything on "no", and goes on with the booking in progress', async () => {
    const desk = new FakeBookingDesk();
    const storage = new MemoryStorage();
    const chat = await Conversation.start({ bookings: desk, storage });
    await sayAll(chat, BOOKING.slice(0, 3));
    expect(await chat.say('forget me')).toEqual([expect.stringMatching(/Are you sure\?/)]);
    const kept = await chat.say('no');
    expect(kept[0]).toBe("OK, I haven't deleted anything.");
    expect(kept[1]).toMatch(/also like to give a phone number/);
    const confirmation = await sayAll(chat, BOOKING.slice(3, 8));
    expect(confirmation[0]).toMatch(/- Name: Ana García/);
    expect(await chat.say('Send request')).toEqual([expect.stringMatching(/has been received/)]);
    expect(desk.requestIds()).toHaveLength(1);
  });

  it('ends a booking in progress on "yes": the answers given so far are gone and nothing is sent', async () => {
    const desk = new FakeBookingDesk();
    const storage = new MemoryStorage();
    const chat = await Conversation.start({ bookings: desk, storage });
    await sayAll(chat, BOOKING.slice(0, 5));
    expect(await chat.say('delete my data')).toEqual([expect.stringMatching(/Are you sure\?/)]);
    expect((await chat.say('yes'))[0]).toMatch(/^Done:/);
    expect(await stored(storage, CONVERSATION_KEY)).toBeUndefined();
    expect(await stored(storage, USER_KEY)).toBeUndefined();
    // The booking is over: "Send request" has nothing to send.
    expect((await chat.say('Send request')).join(' ')).not.toMatch(/received|already sent/);
    expect(desk.submitted).toHaveLength(0);
  });

  it('works inside the screening in Spanish, and the screening answers are gone', async () => {
    const storage = new MemoryStorage();
    const chat = await Conversation.start({ locale: 'es-ES', storage });
    await chat.say('¿puedo hacérmelo?');
    await chat.say('no');
    await chat.say('no');
    expect(await chat.say('olvídame')).toEqual([expect.stringMatching(/^Esto borra/)]);
    expect((await chat.say('sí'))[0]).toMatch(/^Hecho:/);
    expect(await stored(storage, CONVERSATION_KEY)).toBeUndefined();
    expect((await chat.say('no')).join(' ')).not.toMatch(/Pregunta \d+ de 14/);
  });

  it(
    'is not set off by a stray phrase: anything but yes leaves everything, ' + 'and a later "yes" deletes nothing',
    async () => {
      const desk = new FakeBookingDesk();
      const storage = new MemoryStorage();
      const chat = await Conversation.start({ bookings: desk, storage });
      await sayAll(chat, BOOKING.slice(0, 2));
      await chat.say('forget me');
      // The answer to the booking's question instead of a yes: the booking goes on.
      expect(await chat.say('ana@example.com')).toEqual([expect.stringMatching(/also like to give a phone number/)]);
      // A yes now is an answer to the booking ("a phone number? yes"), not to "forget me".
      expect((await chat.say('yes')).join(' ')).not.toMatch(/Done:/);
      expect(await stored(storage, CONVERSATION_KEY)).toBeDefined();
      const confirmation = await sayAll(chat, BOOKING.slice(3, 8));
      expect(confirmation[0]).toMatch(/- Name: Ana García/);
    },
  );

  it(
    'withdraws a request that has not reached the clinic, ' + 'and says one that has must be deleted by the clinic',
    async () => {
      const desk = new FakeBookingDesk();
      const chat = await Conversation.start({ bookings: desk });
      await sayAll(chat, BOOKING);
      await sayAll(chat, BOOKING);
      const [first, second] = desk.requestIds();
      desk.reachClinic(first);
      await chat.say('forget me');
      const done = (await chat.say('yes'))[0];
      expect(done).toMatch(
        /One consultation request that had not reached the clinic yet was withdrawn: it will not be sent\./,
      );
      expect(done).toMatch(
        new RegExp(
          String.raw`One consultation request had already reached the clinic, so I can't delete it from here\. ` +
            String.raw`To have it deleted, contact Sample Skin Clinic on \+1 555 0100 ` +
            String.raw`or hello@sample-skin-clinic\.example\.`,
        ),
      );
      expect(done).toMatch(/To prevent misuse, I keep the times of the requests sent in the last hour/);
      expect(desk.withdrawn).toEqual([second]);
    },
  );

  it('says plainly when it could not delete, and deletes nothing', async () => {
    const desk = new FakeBookingDesk();
    desk.forget = () => Promise.reject(new Error('storage down'));
    const storage = new MemoryStorage();
    const chat = await Conversation.start({ bookings: desk, storage });
    await chat.say('español');
    await chat.say('borra mis datos');
    expect((await chat.say('sí'))[0]).toMatch(/^Lo siento, no he podido borrar tus datos/);
    expect(await stored(storage, USER_KEY)).toMatchObject({ profile: { language: 'es' } });
  });
});

describe('"forget me" with the real outbox and relay, on a fake clock', () => {
  let endpoint: BookingEndpoint;
  let relay: BookingRelay | undefined;

  beforeEach(() => {
    useFakeClock();
    endpoint = new BookingEndpoint();
  });
  afterEach(async () => {
    if (relay) await advanceUntilSettled(relay.stop());
    relay = undefined;
    jest.useRealTimers();
  });

  /** The relay the service runs, reaching the scripted booking endpoint in-process, on the test's clock. */
  function relayOn(store: MemoryStorage): BookingRelay {
    relay = new BookingRelay(
      new BookingOutbox(store, fakeNow),
      new DeliveryClient({ url: endpoint.url, fetch: endpoint.fetch }),
      FAST,
      silentLog,
      fakeNow,
    );
    return relay;
  }

  it(
    'removes a pending request from the outbox, so it is never delivered, ' + 'even once the endpoint is back',
    async () => {
      endpoint.down();
      const store = new MemoryStorage();
      const outbox = new BookingOutbox(store);
      const bookings = relayOn(store);
      const chat = await Conversation.start({ bookings, now: fakeNow });
      // Both attempts fail (the endpoint is down) before the turn stops waiting for them.
      expect((await advanceUntilSettled(sayAll(chat, BOOKING)))[0]).toMatch(/has been received/);
      const [pending] = await outbox.active();
      expect(pending).toMatchObject({ status: 'pending', attempts: 2 });
      expect(pending.lease).toBeUndefined();

      await chat.say('forget me');
      expect((await chat.say('yes'))[0]).toMatch(
        /One consultation request that had not reached the clinic yet was withdrawn/,
      );
      expect(await outbox.get(pending.request.requestId)).toBeUndefined();
      expect(await outbox.active()).toEqual([]);
      expect(await outbox.listing()).toEqual([]);

      // Back, and past the time the request was due to be tried again: a sweep finds nothing to send.
      endpoint.up();
      await jest.advanceTimersByTimeAsync(FAST.maxDelayMs);
      await bookings.sweep();
      expect(endpoint.received).toHaveLength(0);
    },
  );

  it("reports a delivered request as kept by the clinic, with the clinic's phone and email", async () => {
    const store = new MemoryStorage();
    const chat = await Conversation.start({ bookings: relayOn(store), now: fakeNow });
    expect((await advanceUntilSettled(sayAll(chat, BOOKING)))[0]).toMatch(/confirmed/);
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.accepted.size).toBe(1);
    await chat.say('forget me');
    const done = (await chat.say('yes'))[0];
    expect(done).toMatch(
      new RegExp(
        String.raw`already reached the clinic, so I can't delete it from here\. ` +
          String.raw`To have it deleted, contact Sample Skin Clinic on \+1 555 0100 ` +
          String.raw`or hello@sample-skin-clinic\.example`,
      ),
    );
    expect(done).not.toMatch(/withdrawn/);
    const [kept] = await new BookingOutbox(store).listing();
    expect(kept).toMatchObject({ status: 'delivered' });
  });

  it('does the same in Spanish', async () => {
    const store = new MemoryStorage();
    const chat = await Conversation.start({ locale: 'es-ES', bookings: relayOn(store), now: fakeNow });
    expect((await advanceUntilSettled(sayAll(chat, RESERVA)))[0]).toMatch(/confirmada/);
    await chat.say('elimina mis datos');
    expect((await chat.say('sí'))[0]).toMatch(
      new RegExp(
        String.raw`Una solicitud de consulta ya había llegado a la clínica, así que no puedo borrarla desde aquí\. ` +
          String.raw`Para que la borren, contacta con Sample Skin Clinic en el \+1 555 0100`,
      ),
    );
  });
});

import { MemoryStorage } from 'botbuilder';
import { bookingLimitReached, recentBookingTimes } from '../../core/booking/bookingLimit';
import { Conversation, FakeBookingDesk } from '../helpers/conversation';

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
const LIMIT = new RegExp(
  "sent several consultation requests in the last hour, so I can't send another one right now" +
    String.raw`.*call Sample Skin Clinic on \+1 555 0100`,
);

async function sayAll(chat: Conversation, messages: readonly string[]): Promise<string[]> {
  let last: string[] = [];
  for (const m of messages) last = await chat.say(m);
  return last;
}

describe('the cap on consultation requests per patient', () => {
  it(
    "takes three requests in an hour; a fourth gets the clinic's phone and nothing is sent, " +
      'until the hour has passed',
    async () => {
      let now = new Date('2026-03-05T15:00:00Z');
      const desk = new FakeBookingDesk();
      const chat = await Conversation.start({ bookings: desk, now: () => now });
      for (let i = 0; i < 3; i++) {
        expect((await sayAll(chat, BOOKING))[0]).toMatch(/has been received/);
        now = new Date(now.getTime() + 10 * 60_000);
      }
      expect(await chat.say('i want to book')).toEqual([expect.stringMatching(LIMIT)]);
      // Nothing is waiting for an answer: the next message is a question like any other.
      expect((await chat.say('does it hurt?'))[0]).toMatch(/Source:/);
      expect(desk.requestIds()).toHaveLength(3);

      now = new Date('2026-03-05T16:00:01Z'); // the first request is more than an hour old
      expect((await chat.say('i want to book'))[1]).toMatch(/what name should the clinic use/i);
    },
  );

  it("takes its number from the bot's options, and says it in Spanish", async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ locale: 'es-ES', bookings: desk, maxBookingsPerHour: 1 });
    await sayAll(chat, [
      'quiero pedir cita',
      'Lucía',
      'lucia@example.com',
      'no',
      'lunes',
      'Microneedling',
      'Sin nota',
      'sí',
      'Enviar solicitud',
    ]);
    expect(await chat.say('quiero pedir cita')).toEqual([
      expect.stringMatching(/^Has enviado varias solicitudes de consulta en la última hora.*\+1 555 0100/),
    ]);
    expect(desk.requestIds()).toHaveLength(1);
  });

  it(
    'is checked again when sending: ' + 'a request counted meanwhile (from another conversation) stops this one',
    async () => {
      const storage = new MemoryStorage();
      const desk = new FakeBookingDesk();
      const now = new Date('2026-03-05T15:00:00Z');
      const chat = await Conversation.start({ bookings: desk, storage, maxBookingsPerHour: 1, now });
      await sayAll(chat, BOOKING.slice(0, -1));
      // What a request sent from the patient's other conversation leaves on their profile.
      const key = 'test/users/patient/';
      const doc = (await storage.read([key]))[key];
      await storage.write({
        [key]: { ...doc, profile: { ...doc.profile, bookingTimes: ['2026-03-05T14:55:00.000Z'] }, eTag: '*' },
      });
      expect(await chat.say('Send request')).toEqual([expect.stringMatching(LIMIT)]);
      expect(desk.submitted).toHaveLength(0);
    },
  );

  it('does not count a send that failed', async () => {
    let calls = 0;
    const desk = new FakeBookingDesk(true, () => {
      calls += 1;
      if (calls === 1) throw new Error('storage unavailable');
      return { kind: 'received' };
    });
    const chat = await Conversation.start({ bookings: desk, maxBookingsPerHour: 1 });
    expect((await sayAll(chat, BOOKING))[0]).toMatch(/couldn't save your request/);
    expect(await chat.say('Send request')).toEqual([expect.stringMatching(/has been received/)]);
  });
});

describe('recent booking times', () => {
  const now = new Date('2026-03-05T15:00:00Z');
  it('keeps the times of the last rolling hour and drops unreadable ones', () => {
    expect(
      recentBookingTimes(['2026-03-05T13:59:59Z', '2026-03-05T14:00:01Z', 'not a time', '2026-03-05T14:59:00Z'], now),
    ).toEqual(['2026-03-05T14:00:01Z', '2026-03-05T14:59:00Z']);
    expect(recentBookingTimes(undefined, now)).toEqual([]);
  });

  it('reaches the limit at the given number', () => {
    const times = ['2026-03-05T14:10:00Z', '2026-03-05T14:20:00Z'];
    expect(bookingLimitReached(times, now, 3)).toBe(false);
    expect(bookingLimitReached(times, now, 2)).toBe(true);
  });
});

import { MemoryStorage, StoreItems } from 'botbuilder';
import { BookingEndpoint } from '../helpers/bookingEndpoint';
import { HttpBot } from '../helpers/httpBot';

/**
 * A whole conversation full of personal details, through the real HTTP service with its own
 * logger at level debug: free questions, the screening, a full booking delivered to a real local
 * endpoint (and one kept with no endpoint), "that didn't help", a turn that fails, "forget me".
 * Then every log line (and anything written to the console) is searched for each detail and for
 * the text of every message. Nothing may be there.
 */

const NAME = 'Marisol Quintanilla-Obregón';
const EMAIL = 'marisol.q.obregon@example.org';
const PHONES = [
  '+34 611 22 33 44',
  '(212) 555-0147',
  '212.555.0147',
  '2125550147',
  '+1-212-555-0147',
  '+1 212 555 0147',
];
const BIRTH = ['14/07/1986', 'July 14, 1986', '1986-07-14'];
const ADDRESS = '742 Evergreen Terrace, Springfield';

/** Every way a detail could show up in a log line, including its distinctive parts and digits alone. */
const DETAILS = [
  NAME,
  'Marisol',
  'Quintanilla',
  'Obregón',
  'Obregon',
  'Obreg\\u00f3n',
  EMAIL,
  'marisol.q',
  'obregon@',
  ...PHONES,
  '611223344',
  '611 22 33 44',
  '5550147',
  '555-0147',
  '+12125550147',
  '+34611223344',
  ...BIRTH,
  ADDRESS,
  'Evergreen',
  'Springfield',
];

/** A store that fails the next write when asked, quoting what it was given (as some drivers do). */
class FlakyStorage extends MemoryStorage {
  failNextWrite = false;

  override async write(changes: StoreItems): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error(`write failed for ${JSON.stringify(changes)}`);
    }
    return super.write(changes);
  }
}

const QUESTIONS = [
  `Hi, my name is ${NAME} and I was born on ${BIRTH[0]}, does microneedling hurt?`,
  `I live at ${ADDRESS}, can you call me on ${PHONES[1]} about the price?`,
  `my email is ${EMAIL} and my mobile ${PHONES[0]}, how long does the redness last?`,
  "that didn't help",
  `I'm ${NAME.split(' ')[0]}, born ${BIRTH[1]}: is microneedling safe for me?`,
];

const SCREENING_WITH_DETAILS = [
  'am I a good candidate?',
  `no. I'm ${NAME}, ${BIRTH[2]}`,
  'no',
  `call me at ${PHONES[2]} if it matters`,
  ...Array.from({ length: 13 }, () => 'no'),
  'yes',
];

const BOOKING_WITH_DETAILS = [
  'i want to book',
  `My name is ${NAME}`,
  `${EMAIL} and ${PHONES[4]}`,
  `weekday mornings after my shift near ${ADDRESS}`,
  'Microneedling',
  `Born ${BIRTH[0]}; my other number is ${PHONES[2]}`,
  'yes',
  'yes',
  'Send request',
];

describe('personal details never reach the logs', () => {
  const console: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeEach(() => {
    console.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(
        jest
          .spyOn(globalThis.console, method)
          .mockImplementation((...args: unknown[]) => void console.push(args.map(String).join(' '))),
      );
    }
  });
  afterEach(() => spies.splice(0).forEach((s) => s.mockRestore()));

  function expectNothingPersonal(logs: string, sent: readonly string[]): void {
    const everything = `${logs}\n${console.join('\n')}`;
    expect(logs.split('\n').length).toBeGreaterThan(12);
    for (const detail of DETAILS)
      expect({ detail, found: everything.includes(detail) }).toEqual({ detail, found: false });
    // Whole messages too (short ones such as "yes" are words any log may contain).
    for (const text of sent.filter((t) => t.length >= 12))
      expect({ text, found: everything.includes(text) }).toEqual({ text, found: false });
  }

  async function converse(
    bot: HttpBot,
    conv: string,
    user: string,
    messages: readonly string[],
    sent: string[],
  ): Promise<string[]> {
    let last: string[] = [];
    for (const text of messages) {
      sent.push(text);
      last = await bot.say(conv, user, text);
    }
    return last;
  }

  it('with a real booking endpoint: questions, screening, booking, a failed turn and "forget me"', async () => {
    const endpoint = await new BookingEndpoint().start();
    const storage = new FlakyStorage();
    const bot = await new HttpBot(storage).start({ BOOKING_ENDPOINT_URL: endpoint.url, BOOKING_TURN_WAIT_MS: '2000' });
    const sent: string[] = [];
    try {
      await converse(bot, 'priv', 'priv-user', QUESTIONS, sent);
      await converse(bot, 'priv', 'priv-user', SCREENING_WITH_DETAILS, sent);
      const done = await converse(bot, 'priv', 'priv-user', BOOKING_WITH_DETAILS, sent);
      expect(done.join('\n')).toMatch(/confirmed/);
      expect(endpoint.received[0].json.patient).toMatchObject({ name: NAME, email: EMAIL, phone: '+12125550147' });

      // A turn that fails while saving a booking full of details.
      await converse(bot, 'priv-2', 'priv-user', BOOKING_WITH_DETAILS.slice(0, 3), sent);
      storage.failNextWrite = true;
      const failed = await converse(
        bot,
        'priv-2',
        'priv-user',
        [`my shift ends at 5, I'm ${NAME}, ${PHONES[3]}`],
        sent,
      );
      expect(failed.join('\n')).toMatch(/something went wrong on my side \(reference [0-9a-f]{8}\)/);
      expect(bot.logs).toMatch(/"event":"turn-error"/);

      await converse(bot, 'priv', 'priv-user', [`forget me, ${NAME}`, 'forget me', 'yes'], sent);
      expectNothingPersonal(bot.logs, sent);
    } finally {
      await bot.stop();
      await endpoint.stop();
    }
  });

  it('with no booking endpoint (requests kept for staff), in Spanish', async () => {
    const bot = await new HttpBot().start();
    const sent: string[] = [];
    try {
      const es = { locale: 'es-ES' };
      const say = async (text: string): Promise<string[]> => {
        sent.push(text);
        return bot.say('priv-es', 'priv-es-user', text, es);
      };
      await say(`Hola, me llamo ${NAME} y nací el ${BIRTH[0]}, ¿duele el microneedling?`);
      await say(`vivo en ${ADDRESS}, mi correo es ${EMAIL}, ¿cuánto cuesta?`);
      await say('no me sirvió');
      for (const text of [
        'quiero pedir cita',
        `Me llamo ${NAME}`,
        `${PHONES[0]} o ${EMAIL}`,
        `los lunes, cerca de ${ADDRESS}`,
        'Microneedling',
        `Nací el ${BIRTH[0]}`,
        'sí',
      ])
        await say(text);
      expect((await say('Enviar solicitud')).join('\n')).toMatch(/Hemos recibido tu solicitud/);
      await say('borra mis datos');
      expect((await say('sí')).join('\n')).toMatch(/He retirado una solicitud/);
      expectNothingPersonal(bot.logs, sent);
    } finally {
      await bot.stop();
    }
  });
});

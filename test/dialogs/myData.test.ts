import { MemoryStorage } from 'botbuilder';
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

async function sayAll(chat: Conversation, messages: readonly string[]): Promise<string[]> {
  let last: string[] = [];
  for (const m of messages) last = await chat.say(m);
  return last;
}

describe('"what do you know about me?"', () => {
  it('lists what is kept (English): language, treatment date, last answer, with "Forget me" next to it', async () => {
    const chat = await Conversation.start();
    await chat.say("it's day 5 and still peeling");
    await chat.say('does it hurt?');
    const [summary, ...rest] = await chat.say('What do you know about me?');
    expect(rest).toEqual([]);
    expect(summary).toMatch(/^This is everything I keep about you and this conversation\. I delete it 30 days after/);
    expect(summary).toMatch(/a consultation request is deleted 90 days after it reaches the clinic/);
    expect(summary).toMatch(/^- Language: none kept: I follow your device's language \(English\)$/m);
    expect(summary).toMatch(/^- Treatment date: 2026-02-28, for aftercare day by day$/m);
    expect(summary).toMatch(/^- Last answer: "Does it hurt\?"/m);
    expect(summary).not.toMatch(/Consultation request|Consent/);
    expect(chat.buttons()).toEqual(['Forget me']);

    // The button is "forget me", which asks first.
    expect(await chat.say('Forget me')).toEqual([
      expect.stringMatching(/^This deletes what I hold about you: .*Are you sure\?$/),
    ]);
  });

  it('lists what is kept (Spanish): the language chosen, with "Borrar mis datos" next to it', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    await chat.say('English');
    await chat.say('español');
    const [summary] = await chat.say('¿Qué datos tienes de mí?');
    expect(summary).toMatch(/^Esto es todo lo que guardo sobre ti y esta conversación\. Lo borro 30 días después/);
    expect(summary).toMatch(/^\*\*Lo que guardo sobre ti\*\*$/m);
    expect(summary).toMatch(/^- Idioma: español \(lo elegiste tú\)$/m);
    expect(chat.buttons()).toEqual(['Borrar mis datos']);
    expect(await chat.say('Borrar mis datos')).toEqual([
      expect.stringMatching(/^Esto borra lo que guardo sobre ti: .*¿Seguro que quieres borrarlo\?$/),
    ]);
  });

  it.each([
    'what data do you have on me',
    'What information do you have about me?',
    'what do you store about me',
    'qué sabes de mí',
    '¿Qué información tienes sobre mí?',
    'mis datos',
  ])('is understood as "%s"', async (phrase) => {
    const chat = await Conversation.start();
    expect((await chat.say(phrase))[0]).toMatch(/^(This is everything I keep|Esto es todo lo que guardo)/);
  });

  it('says where the requests sent are and the consent given with them', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk, storage: new MemoryStorage() });
    await sayAll(chat, BOOKING);
    let [summary] = await chat.say('what do you know about me');
    expect(summary).toMatch(/^- Consultation requests sent: not yet at the clinic: 1$/m);
    expect(summary).toMatch(/^- Consent: to be contacted about your consultation request \(given 2026-03-05\)$/m);
    expect(summary).toMatch(/^- Times of recent requests: /m);

    desk.reachClinic(desk.requestIds()[0]);
    [summary] = await chat.say('what do you know about me');
    expect(summary).toMatch(/^- Consultation requests sent: received by the clinic: 1$/m);
  });

  it('answers in the middle of a booking with the details given so far, then asks its question again', async () => {
    const chat = await Conversation.start();
    await sayAll(chat, BOOKING.slice(0, 3));
    const [summary, question] = await chat.say('what data do you have on me?');
    expect(summary).toMatch(/^- Consultation request in progress: your name, email address \(not sent yet\)$/m);
    expect(summary).not.toMatch(/Ana|example\.com/);
    expect(question).toMatch(/also like to give a phone number/);
    // The booking goes on where it was.
    expect(await chat.say('No thanks')).toEqual([expect.stringMatching(/Which days and times suit you best/)]);
  });

  it('answers in the middle of the suitability check in Spanish, then asks the same question again', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    await chat.say('¿puedo hacérmelo?');
    await chat.say('no');
    const [summary, question] = await chat.say('¿qué sabes de mí?');
    expect(summary).toMatch(
      /^- Cuestionario de idoneidad: respuestas hasta ahora: 1, que solo se guardan si lo aceptas al final$/m,
    );
    expect(summary).toMatch(/^- Idioma: no guardo ninguno: sigo el idioma de tu dispositivo \(español\)$/m);
    expect(question).toMatch(/^Pregunta 2 de 14:/);
    expect((await chat.say('no'))[0]).toMatch(/^Pregunta 3 de 14:/);
  });
});

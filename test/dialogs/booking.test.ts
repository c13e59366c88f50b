import pino from 'pino';
import { BookingRequest, BookingRequestSchema } from '../../core/booking/bookingRequest';
import { Conversation, FakeBookingDesk } from '../helpers/conversation';

const NOW = new Date('2026-03-05T15:00:00Z');
const SCREENING_QUESTIONS = 14;

/** Answers every question up to the confirmation, in English, with the details given. */
async function fillIn(
  chat: Conversation,
  details: { name?: string; contact?: string; other?: string; times?: string; treatment?: string; note?: string } = {},
): Promise<string[]> {
  await chat.say('i want to book');
  await chat.say(details.name ?? 'Ana García');
  await chat.say(details.contact ?? 'ana@example.com');
  await chat.say(details.other ?? 'No thanks');
  await chat.say(details.times ?? 'weekday mornings');
  await chat.say(details.treatment ?? 'Microneedling');
  await chat.say(details.note ?? 'No note');
  return chat.say('yes');
}

function only(desk: FakeBookingDesk): BookingRequest {
  expect(desk.submitted).toHaveLength(1);
  return desk.submitted[0];
}

describe('requesting a consultation', () => {
  it('asks one thing at a time and sends a valid request with the contact details normalised', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk, now: NOW });
    const start = await chat.say('i want to book');
    expect(start[0]).toMatch(/consultation request/);
    expect(start[1]).toMatch(/what name should the clinic use/i);
    expect(await chat.say('My name is Ana García')).toEqual([
      expect.stringMatching(/email address or your phone number/),
    ]);
    expect(await chat.say('Ana.Garcia@Example.COM')).toEqual([
      expect.stringMatching(/also like to give a phone number\? It's optional/),
    ]);
    expect(chat.buttons()).toEqual(['No thanks']);
    expect(await chat.say('No thanks')).toEqual([expect.stringMatching(/Which days and times suit you/)]);
    expect(await chat.say('weekday mornings, not Fridays')).toEqual([expect.stringMatching(/Which treatment/)]);
    expect(chat.buttons()).toEqual(['Microneedling', 'Not sure yet']);
    expect(await chat.say('Microneedling')).toEqual([expect.stringMatching(/anything you'd like the clinic to know/)]);
    expect(chat.buttons()).toEqual(['No note']);
    expect(await chat.say('No note')).toEqual([expect.stringMatching(/May the clinic use the contact details/)]);
    expect(chat.buttons()).toEqual(['Yes', 'No']);

    const confirmation = await chat.say('yes');
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]).toMatch(/- Name: Ana García/);
    expect(confirmation[0]).toMatch(/- Email: ana\.garcia@example\.com/);
    expect(confirmation[0]).toMatch(/- Preferred days and times: weekday mornings, not Fridays/);
    expect(confirmation[0]).toMatch(/- Note: none/);
    expect(confirmation[0]).not.toMatch(/Suitability answers/);
    expect(chat.buttons()).toEqual([
      'Send request',
      'Change name',
      'Change contact',
      'Change days and times',
      'Change treatment',
      'Change note',
      'Cancel',
    ]);
    expect(desk.submitted).toHaveLength(0);

    const sent = await chat.say('Send request');
    expect(sent).toEqual([expect.stringMatching(/Your request has been received — the clinic will contact you/)]);
    const request = only(desk);
    expect(BookingRequestSchema.parse(request)).toEqual(request);
    expect(request).toMatchObject({
      schemaVersion: 1,
      createdAt: NOW.toISOString(),
      locale: 'en',
      channel: 'test',
      patient: { name: 'Ana García', email: 'ana.garcia@example.com' },
      preferences: { daysAndTimes: 'weekday mornings, not Fridays', treatment: 'Microneedling' },
      consents: { contact: true, shareScreening: false, givenAt: NOW.toISOString() },
    });
    expect(request.patient.phone).toBeUndefined();
    expect(request.preferences.note).toBeUndefined();
    expect(request.screening).toBeUndefined();
    // The flow is over: the next question is answered as usual.
    expect((await chat.say('does it hurt?'))[0]).toMatch(/Source:/);
  });

  it('does the whole request in Spanish', async () => {
    const desk = new FakeBookingDesk(true, () => ({ kind: 'confirmed' }));
    const chat = await Conversation.start({ locale: 'es-ES', bookings: desk });
    const start = await chat.say('quiero pedir cita');
    expect(start[1]).toMatch(/qué nombre debe usar la clínica/);
    expect(await chat.say('Me llamo Lucía Pérez')).toEqual([expect.stringMatching(/correo electrónico o tu teléfono/)]);
    expect(await chat.say('+34 612 34 56 78')).toEqual([expect.stringMatching(/dejar también un correo/)]);
    expect(chat.buttons()).toEqual(['No, gracias']);
    expect(await chat.say('No, gracias')).toEqual([expect.stringMatching(/Qué días y horas/)]);
    expect(await chat.say('martes por la tarde')).toEqual([expect.stringMatching(/Qué tratamiento/)]);
    expect(chat.buttons()).toEqual(['Microneedling', 'Aún no lo sé']);
    await chat.say('Aún no lo sé');
    expect(chat.buttons()).toEqual(['Sin nota']);
    expect(await chat.say('Tengo la piel sensible')).toEqual([
      expect.stringMatching(/Puede la clínica usar los datos de contacto/),
    ]);
    const confirmation = await chat.say('sí');
    expect(confirmation[0]).toMatch(/- Nombre: Lucía Pérez/);
    expect(confirmation[0]).toMatch(/- Teléfono: \+34 612 34 56 78/);
    expect(chat.buttons()).toContain('Enviar solicitud');
    expect(chat.buttons()).toContain('Cambiar días y horas');
    expect(await chat.say('Enviar solicitud')).toEqual([expect.stringMatching(/^Tu solicitud está confirmada\./)]);
    expect(only(desk)).toMatchObject({
      locale: 'es',
      patient: { name: 'Lucía Pérez', phone: '+34612345678' },
      preferences: { daysAndTimes: 'martes por la tarde', treatment: 'Aún no lo sé', note: 'Tengo la piel sensible' },
    });
  });

  it('asks again for an email address that is not complete, with an example', async () => {
    const chat = await Conversation.start();
    await chat.say('i want to book');
    await chat.say('Ana');
    expect(await chat.say('ana@example')).toEqual([expect.stringMatching(/doesn't look complete.*ana@example\.com/)]);
    expect(await chat.say('my email is ana@example.com')).toEqual([
      expect.stringMatching(/also like to give a phone number/),
    ]);
  });

  it('asks again for something that is neither an email nor a phone number', async () => {
    const chat = await Conversation.start();
    await chat.say('i want to book');
    await chat.say('Ana');
    expect(await chat.say('no')).toEqual([
      expect.stringMatching(/needs an email address or a phone number.*\(201\) 555-0123/),
    ]);
    expect(await chat.say('555 12')).toEqual([
      expect.stringMatching(/still can't read an email address or a phone number/),
    ]);
    expect(chat.buttons()).toEqual(['Keep as typed', 'Cancel']);
  });

  it('keeps a contact it cannot read as typed, for the clinic to check, when the patient asks', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    await chat.say('i want to book');
    await chat.say('Ana García');
    await chat.say('call me on 555 12');
    await chat.say('555 12 34');
    expect(await chat.say('Keep as typed')).toEqual([expect.stringMatching(/also like to give an email/)]);
    await chat.say('No thanks');
    await chat.say('weekday mornings');
    await chat.say('Microneedling');
    await chat.say('No note');
    await chat.say('yes');
    await chat.say('Send request');
    expect(desk.submitted[0].patient).toEqual({ name: 'Ana García', contactAsTyped: '555 12 34' });
  });

  it('never traps a patient on the optional phone: two re-asks with "No thanks", then it moves on', async () => {
    const chat = await Conversation.start({ bookings: new FakeBookingDesk() });
    await chat.say('i want to book');
    await chat.say('Ana García');
    await chat.say('ana@example.com');
    expect((await chat.say('+1 555 010 0100')).join(' ')).toMatch(/couldn't read that as a phone number/);
    expect(chat.buttons()).toEqual(['No thanks']);
    expect((await chat.say('+1 555 010 0100')).join(' ')).toMatch(/still can't read that as a phone number/);
    expect(chat.buttons()).toEqual(['No thanks', 'Keep as typed']);
    const moved = await chat.say('+1 555 010 0100');
    expect(moved[0]).toMatch(/leave that out/);
    expect(moved[1]).toMatch(/days and times/);
  });

  it("reads a phone number of the clinic's country and keeps it in E.164", async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    const confirmation = await fillIn(chat, { contact: 'call me on (201) 555-0123', other: 'ana@example.com' });
    expect(confirmation[0]).toMatch(/- Phone: \+1 201 555 0123/);
    expect(confirmation[0]).toMatch(/- Email: ana@example\.com/);
    await chat.say('send it');
    expect(only(desk).patient).toEqual({ name: 'Ana García', email: 'ana@example.com', phone: '+12015550123' });
  });

  it('takes both contact details from one message without offering the other', async () => {
    const chat = await Conversation.start();
    await chat.say('i want to book');
    await chat.say('Ana');
    expect(await chat.say('ana@example.com or 201 555 0123')).toEqual([expect.stringMatching(/Which days and times/)]);
  });

  it('ends without sending anything when the patient does not agree to be contacted', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    await chat.say('i want to book');
    for (const answer of ['Ana', 'ana@example.com', 'No thanks', 'weekday mornings', 'Microneedling', 'No note'])
      await chat.say(answer);
    const reply = await chat.say('no');
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatch(/can't arrange a consultation without being able to contact you/);
    expect(reply[0]).toContain('https://sample-skin-clinic.example/book');
    expect(reply[0]).toContain('+1 555 0100');
    expect(desk.submitted).toHaveLength(0);
    expect((await chat.say('does it hurt?'))[0]).toMatch(/Source:/);
  });

  it('lets the patient change any detail from the confirmation, by button or in their own words', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    await fillIn(chat, { contact: '(201) 555-0123', other: 'no' });
    expect(await chat.say('change my phone')).toEqual([
      expect.stringMatching(/What phone number should the clinic use/),
    ]);
    const afterPhone = await chat.say('202 555 0175');
    expect(afterPhone[0]).toMatch(/- Phone: \+1 202 555 0175/);
    expect(await chat.say('Change name')).toEqual([expect.stringMatching(/what name should the clinic use/i)]);
    expect((await chat.say('Bea Ruiz'))[0]).toMatch(/- Name: Bea Ruiz/);
    await chat.say('Change note');
    expect((await chat.say('I have sensitive skin'))[0]).toMatch(/- Note: I have sensitive skin/);
    await chat.say('the days are wrong');
    expect((await chat.say('Saturdays'))[0]).toMatch(/- Preferred days and times: Saturdays/);
    await chat.say('Send request');
    expect(only(desk)).toMatchObject({
      patient: { name: 'Bea Ruiz', phone: '+12025550175' },
      preferences: { daysAndTimes: 'Saturdays', note: 'I have sensitive skin' },
    });
  });

  it('understands "cambiar el teléfono" on the Spanish confirmation', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    await chat.say('quiero pedir cita');
    for (const answer of ['Lucía', '+34 612 34 56 78', 'no', 'lunes', 'Microneedling', 'Sin nota', 'sí'])
      await chat.say(answer);
    expect(await chat.say('cambiar el teléfono')).toEqual([expect.stringMatching(/Qué teléfono debe usar la clínica/)]);
  });

  it('offers to share the screening answers only with a separate consent', async () => {
    const share = async (answer: 'yes' | 'no'): Promise<BookingRequest> => {
      const desk = new FakeBookingDesk();
      const chat = await Conversation.start({ bookings: desk });
      await chat.say('am I a good candidate?');
      for (let n = 1; n <= SCREENING_QUESTIONS; n++) await chat.say(n === 3 ? 'not sure' : 'no');
      await chat.say('yes'); // keep the answers for booking
      await fillIn(chat);
      expect(chat.replies[0].text).toMatch(/send those answers with your request/);
      const confirmation = await chat.say(answer);
      expect(confirmation[0]).toMatch(
        answer === 'yes' ? /- Suitability answers: sent with the request/ : /- Suitability answers: not sent/,
      );
      expect(chat.buttons()).toContain('Change answer sharing');
      await chat.say('Send request');
      return only(desk);
    };
    const withScreening = await share('yes');
    expect(withScreening.consents.shareScreening).toBe(true);
    expect(withScreening.screening?.outcome).toBe('review');
    expect(withScreening.screening?.completedAt).toBe(NOW.toISOString());
    expect(withScreening.screening?.answers).toHaveLength(SCREENING_QUESTIONS);
    expect(withScreening.screening?.answers[2]).toMatchObject({ answer: 'unsure' });
    expect(withScreening.screening?.answers[0].question).toMatch(/^[A-Z][a-z]/); // the English question
    expect(BookingRequestSchema.safeParse(withScreening).success).toBe(true);

    const without = await share('no');
    expect(without.consents.shareScreening).toBe(false);
    expect(without.screening).toBeUndefined();
  });

  it('never asks to share screening answers the patient did not agree to keep', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    for (let n = 1; n <= SCREENING_QUESTIONS; n++) await chat.say('no');
    await chat.say('no'); // do not keep the answers
    const confirmation = await fillIn(chat);
    expect(confirmation[0]).toMatch(/Here is your request/);
    expect(confirmation[0]).not.toMatch(/Suitability/);
  });

  it('starts the booking from the "Request a consultation" button after the screening', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    for (let n = 1; n <= SCREENING_QUESTIONS; n++) await chat.say('no');
    await chat.say('yes');
    const book = chat.replies[chat.replies.length - 1].suggestedActions?.actions[0];
    expect(book?.title).toBe('Request a consultation');
    const start = await chat.say(String(book?.value));
    expect(start[0]).toMatch(/consultation request/);
  });

  it('puts urgent guidance first when a warning sign comes up mid-booking, then goes on where it was', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    await chat.say('i want to book');
    await chat.say('Ana');
    await chat.say('ana@example.com');
    await chat.say('No thanks');
    const urgent = await chat.say('actually my lips are swelling and I struggle to breathe');
    expect(urgent).toHaveLength(1);
    expect(urgent[0]).toMatch(/911/);
    expect(await chat.say('weekday mornings')).toEqual([expect.stringMatching(/Which treatment/)]);
  });

  it('answers a question asked mid-booking and asks again where it was', async () => {
    const chat = await Conversation.start();
    await chat.say('i want to book');
    await chat.say('Ana');
    await chat.say('ana@example.com');
    await chat.say('No thanks');
    const replies = await chat.say('does it hurt?');
    expect(replies[0]).toMatch(/Source:/);
    expect(replies[1]).toMatch(/Which days and times/);
  });

  it('counts replies not understood across a question asked in between, so none is asked a third time', async () => {
    const chat = await Conversation.start();
    await chat.say('i want to book');
    await chat.say('Ana García');
    await chat.say('ana@example.com');
    expect((await chat.say('+1 555 010 0100')).join(' ')).toMatch(/couldn't read that as a phone number/);
    const answered = await chat.say('does it hurt?');
    expect(answered[0]).toMatch(/Source:/);
    expect(answered[1]).toMatch(/also like to give a phone number/);
    expect((await chat.say('+1 555 010 0100')).join(' ')).toMatch(/still can't read that as a phone number/);
  });

  it('shows the confirmation again in the new language after a switch', async () => {
    const chat = await Conversation.start();
    await fillIn(chat);
    const replies = await chat.say('español');
    expect(replies[0]).toMatch(/seguimos en español/);
    expect(replies[1]).toMatch(/- Nombre: Ana García/);
    expect(chat.buttons()).toContain('Enviar solicitud');
  });

  it('switches language mid-booking and asks again in the new one', async () => {
    const chat = await Conversation.start();
    await chat.say('i want to book');
    const replies = await chat.say('español');
    expect(replies[0]).toMatch(/seguimos en español/);
    expect(replies[1]).toMatch(/qué nombre debe usar la clínica/);
  });

  it('sends one request however many times "send" arrives', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    await fillIn(chat);
    await chat.say('Send request');
    expect(await chat.say('Send request')).toEqual([expect.stringMatching(/already sent your request/)]);
    expect(desk.requestIds()).toHaveLength(1);
  });

  it('keeps the same request id when sending is tried again after a failure', async () => {
    let calls = 0;
    const desk = new FakeBookingDesk(true, () => {
      calls += 1;
      if (calls === 1) throw new Error('storage unavailable');
      return { kind: 'received' };
    });
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const chat = await Conversation.start({ bookings: desk, log });
    await fillIn(chat, {
      name: 'Zoe Quill',
      contact: 'zoe.quill@example.com',
      other: '(201) 555-0123',
      times: 'Thursday evenings',
      note: 'Allergic to lidocaine',
    });
    const failed = await chat.say('Send request');
    expect(failed[0]).toMatch(/couldn't save your request/);
    expect(failed[0]).toContain('+1 555 0100');
    expect(failed[0]).toContain('https://sample-skin-clinic.example/book');
    expect(failed[0]).not.toMatch(/received|confirmed/i);
    expect(chat.buttons()).toEqual(['Send request', 'Cancel']);
    expect(await chat.say('Send request')).toEqual([expect.stringMatching(/has been received/)]);
    expect(desk.submitted).toHaveLength(2);
    expect(desk.requestIds()).toHaveLength(1);

    const logged = lines.join('\n');
    expect(logged).toContain(desk.submitted[0].requestId);
    expect(logged).toMatch(/"outcome":"failed"/);
    for (const personal of ['Zoe', 'Quill', 'zoe.quill', '5550123', 'Thursday', 'lidocaine'])
      expect(logged).not.toContain(personal);
  });

  it('asks to send again after a failed send, and still lets the patient change a detail first', async () => {
    let calls = 0;
    const desk = new FakeBookingDesk(true, () => {
      calls += 1;
      if (calls === 1) throw new Error('storage unavailable');
      return { kind: 'received' };
    });
    const chat = await Conversation.start({ bookings: desk });
    await fillIn(chat);
    expect((await chat.say('Send request'))[0]).toMatch(/couldn't save your request/);
    expect(await chat.say('Change name')).toEqual([expect.stringMatching(/what name should the clinic use/i)]);
    expect((await chat.say('Bea Ruiz'))[0]).toMatch(/- Name: Bea Ruiz/);
    expect(await chat.say('Send request')).toEqual([expect.stringMatching(/has been received/)]);
    expect(desk.requestIds()).toHaveLength(1);
    expect(desk.submitted[1].patient.name).toBe('Bea Ruiz');
  });

  it(
    'never calls a received request confirmed, ' +
      'and offers the booking link when nothing is delivered automatically',
    async () => {
      const desk = new FakeBookingDesk(false, () => ({ kind: 'received' }));
      const chat = await Conversation.start({ bookings: desk });
      await fillIn(chat);
      const sent = await chat.say('Send request');
      expect(sent.join(' ')).not.toMatch(/confirm/i);
      expect(sent[0]).toMatch(/received/);
      expect(sent[0]).toContain('+1 555 0100');
      expect(sent[0]).toContain('https://sample-skin-clinic.example/book');

      const es = await Conversation.start({ locale: 'es-ES', bookings: new FakeBookingDesk(true) });
      await es.say('quiero pedir cita');
      for (const answer of ['Lucía', 'lucia@example.com', 'no', 'lunes', 'Microneedling', 'Sin nota', 'sí'])
        await es.say(answer);
      const enviado = await es.say('Enviar solicitud');
      expect(enviado[0]).toMatch(/Hemos recibido tu solicitud/);
      expect(enviado.join(' ')).not.toMatch(/confirmad/i);
      expect(enviado[0]).not.toContain('https://sample-skin-clinic.example/book');
    },
  );

  it("says confirmed, with the clinic's reference, when the booking system accepted the request", async () => {
    const chat = await Conversation.start({
      bookings: new FakeBookingDesk(true, () => ({ kind: 'confirmed', reference: 'CLN-4821' })),
    });
    await fillIn(chat);
    expect(await chat.say('yes')).toEqual([
      'Your request is confirmed. Your reference is CLN-4821. The clinic will contact you with the details.',
    ]);
  });

  it('never shows markup back to the patient', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    const confirmation = await fillIn(chat, {
      name: '<b>Ana</b> García',
      note: '<script>alert(1)</script> please call after 5',
    });
    expect(confirmation[0]).not.toMatch(/[<>]/);
    expect(confirmation[0]).toMatch(/- Name: Ana García/);
    await chat.say('Send request');
    expect(only(desk).preferences.note).toBe('alert(1) please call after 5');
  });

  it('cancels without sending anything', async () => {
    const desk = new FakeBookingDesk();
    const chat = await Conversation.start({ bookings: desk });
    await fillIn(chat);
    expect(await chat.say('Cancel')).toEqual([expect.stringMatching(/haven't sent anything/)]);
    expect(desk.submitted).toHaveLength(0);
  });

  it('shows the confirmation as a card where the channel renders cards', async () => {
    const chat = await Conversation.start({ channelId: 'webchat' });
    await fillIn(chat);
    expect(chat.replies[0].attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(chat.buttons()[0]).toBe('Send request');
  });

  it('moves on when the patient answers the optional second contact with something else', async () => {
    const chat = await Conversation.start({ locale: 'es-ES', bookings: new FakeBookingDesk() });
    await chat.say('quiero pedir cita');
    await chat.say('Lucía Pérez');
    expect(await chat.say('lucia@correo.es')).toEqual([expect.stringMatching(/dejar también un teléfono/)]);
    // Not an attempt at a phone number: the optional detail is skipped rather than asked again.
    expect(await chat.say('no estoy segura')).toEqual([expect.stringMatching(/Qué días y horas/)]);
  });

  it('asks again when the optional phone looks like a mistyped number', async () => {
    const chat = await Conversation.start({ bookings: new FakeBookingDesk() });
    await chat.say('i want to book');
    await chat.say('Ana García');
    await chat.say('ana@example.com');
    expect((await chat.say('555 01')).join(' ')).toMatch(/phone number/i);
  });
});

import { Conversation } from '../helpers/conversation';

const QUESTIONS = 14;

async function answerAll(chat: Conversation, answers: Record<number, string> = {}, from = 1): Promise<string[]> {
  let last: string[] = [];
  for (let n = from; n <= QUESTIONS; n++) last = await chat.say(answers[n] ?? 'no');
  return last;
}

describe('candidate screening', () => {
  it('starts from free text and asks one question at a time with yes/no buttons', async () => {
    const chat = await Conversation.start();
    const replies = await chat.say('am I a good candidate for microneedling?');
    expect(replies[0]).toMatch(/14 quick yes\/no questions/);
    expect(replies[0]).toMatch(/not a medical assessment/);
    expect(replies[1]).toMatch(/^Question 1 of 14: /);
    expect(chat.buttons()).toEqual(['Yes', 'No', 'Not sure', 'Why do you ask?', 'Skip']);
    expect(await chat.say('nope')).toEqual([expect.stringMatching(/^Question 2 of 14: .*cold sore/i)]);
    expect(chat.buttons()).toContain('Back');
  });

  it(
    'finds a patient with nothing in the way likely suitable, never "safe", ' + 'and keeps answers only with consent',
    async () => {
      const chat = await Conversation.start();
      await chat.say('check if it may suit me');
      const outcome = await answerAll(chat);
      expect(outcome[0]).toMatch(/consultation/i);
      expect(outcome.join(' ')).not.toMatch(/you are safe|you can have it/i);
      expect(chat.replies[0].attachments).toBeUndefined(); // the test channel renders no cards
      expect(outcome[0]).toMatch(/Your screening answers/);
      expect(outcome[1]).toMatch(/keep these answers/);
      const after = await chat.say('yes');
      expect(after[0]).toMatch(/keep your answers for the booking step only/);
      expect(after[1]).toBe('Would you like to request a consultation now?');
      expect(chat.buttons()).toEqual(['Request a consultation', 'No, thanks']);
    },
  );

  it('asks one question per message at the end: the outcome, then consent alone, then booking alone', async () => {
    const chat = await Conversation.start();
    await chat.say('check if it may suit me');
    const outcome = await answerAll(chat);
    expect(outcome.filter((line) => /\?/.test(line.replace(/Question \d+ of \d+/, '')))).toHaveLength(1);
    expect(outcome[1]).toMatch(/keep these answers/);
    // "No" answers the consent question only; the booking question comes next, on its own.
    const afterNo = await chat.say('No');
    expect(afterNo[0]).toMatch(/won't be kept/);
    expect(afterNo[1]).toBe('Would you like to request a consultation now?');
    const booking = await chat.say('yes');
    expect(booking.join(' ')).toMatch(/name/i);
  });

  it('never asks the same question a third time: after two re-asks it leaves it for the clinician', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    const first = /^Question 1 of 14: /;
    expect(await chat.say('purple monkey dishwasher')).toEqual([
      expect.stringMatching(/didn't catch that/),
      expect.stringMatching(first),
    ]);
    expect(await chat.say('zzz')).toEqual([
      expect.stringMatching(/still didn't catch that.*skip.*stop/s),
      expect.stringMatching(first),
    ]);
    const moved = await chat.say('qwerty');
    expect(moved[0]).toMatch(/leave that question for the clinician/);
    expect(moved[1]).toMatch(/^Question 2 of 14: /);
  });

  it('defers a patient with an active cold sore and says when to come back', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    const outcome = await answerAll(chat, { 2: 'yes' });
    expect(outcome[0]).toMatch(/For now: .*cold sore/i);
    expect(outcome[0]).toMatch(/When to come back: .*heal/i);
    expect(outcome[0]).not.toMatch(/For a clinician to review/);
  });

  it('sends a pregnant patient to a clinician, even if she only thinks so', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    const outcome = await answerAll(chat, { 9: 'I think so' });
    expect(outcome[0]).toMatch(/For a clinician to review: .*pregnan/i);
  });

  it('treats "not sure" on a temporary reason as something a clinician should check', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    const outcome = await answerAll(chat, { 1: 'not sure' });
    expect(outcome[0]).toMatch(/For a clinician to review/);
  });

  it('explains why it asks, goes back, and accepts Spanish replies', async () => {
    const chat = await Conversation.start({ locale: 'es-ES' });
    await chat.say('¿puedo hacerme microneedling?');
    const why = await chat.say('¿por qué lo preguntas?');
    expect(why).toHaveLength(2);
    expect(why[1]).toMatch(/^Pregunta 1 de 14: /);
    await chat.say('no');
    expect(await chat.say('atrás')).toEqual([expect.stringMatching(/^Pregunta 1 de 14: /)]);
    expect(await chat.say('sí')).toEqual([expect.stringMatching(/^Pregunta 2 de 14: /)]);
  });

  it('answers a question asked mid-screening and then asks again where it was', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    await chat.say('no');
    const replies = await chat.say('does it hurt?');
    expect(replies[0]).toMatch(/Source:/);
    expect(replies[1]).toMatch(/^Question 2 of 14: /);
  });

  it('puts urgent guidance first when a warning sign comes up mid-screening', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    const replies = await chat.say('actually my lips are swelling and I struggle to breathe');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/911/);
    expect(await chat.say('no')).toEqual([expect.stringMatching(/^Question 2 of 14: /)]);
  });

  it('stops and starts over on request', async () => {
    const chat = await Conversation.start();
    await chat.say('am I a good candidate?');
    expect(await chat.say('stop')).toEqual([expect.stringMatching(/we've left that/)]);
    expect((await chat.say('does it hurt?'))[0]).toMatch(/Source:/);
    await chat.say('am I a good candidate?');
    expect(await chat.say('start over')).toEqual([expect.stringMatching(/start again/)]);
  });

  it('shows the summary as a card where the channel renders cards', async () => {
    const chat = await Conversation.start({ channelId: 'webchat' });
    await chat.say('am I a good candidate?');
    await answerAll(chat);
    expect(chat.replies[0].attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  });
});

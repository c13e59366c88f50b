import {
  decideMessage,
  DecisionParts,
  MessageDecision,
  MessageSituation,
} from '../../../core/consultation/messageDecision';
import { realDecisionParts } from '../../helpers/content';

const TODAY = { year: 2026, month: 6, day: 15 };

let parts: DecisionParts;
beforeAll(async () => {
  parts = await realDecisionParts();
});

function decide(text: string, more: Partial<MessageSituation> = {}): MessageDecision {
  return decideMessage({ text, lang: 'en', maxMessageChars: 2000, today: TODAY, ...more }, parts);
}

function answered(d: MessageDecision): string[] {
  return d.kind === 'answers' ? d.answers.map((a) => a.entry.id) : [];
}

describe('the one message decision', () => {
  it('puts warning signs before everything, also in an over-long message and inside a flow', () => {
    const story =
      'I had it done on Monday and it was fine at first. '.repeat(50) + ' Now there is pus and it is hot to the touch.';
    const d = decide(story, { flow: { id: 'booking', understands: true } });
    expect(d).toMatchObject({ kind: 'red-flag', tooLong: true });
  });

  it('asks for a shorter message when nothing urgent is in it', () => {
    expect(decide('does it hurt? '.repeat(200)).kind).toBe('too-long');
  });

  it('reads yes and no as the answer to "forget me?" only while that question waits', () => {
    expect(decide('yes', { forgetAsked: true }).kind).toBe('forget-confirmed');
    expect(decide('no', { forgetAsked: true }).kind).toBe('forget-declined');
    expect(decide('yes').kind).not.toBe('forget-confirmed');
  });

  it('lets a flow read its own answers and stops it on "stop"', () => {
    expect(decide('stop', { flow: { id: 'screening', understands: false } }).kind).toBe('stop-flow');
    expect(decide('not sure', { flow: { id: 'screening', understands: true } }).kind).toBe('flow-reads');
  });

  it('answers a question asked in the middle of a flow', () => {
    expect(answered(decide('does microneedling hurt?', { flow: { id: 'booking', understands: false } }))).toEqual([
      'pain',
    ]);
  });

  it('gives day-by-day aftercare to a report with a treatment day, or a remembered one', () => {
    expect(decide('had it done 3 days ago and my face is still red, is that normal?')).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-12',
    });
    expect(decide('still peeling, is that normal?', { treatmentDate: '2026-06-10' })).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-10',
    });
  });

  it('reads a report that counts days without naming the treatment', () => {
    expect(decide("it's been 10 days and I still have some redness on my cheeks")).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-05',
    });
    expect(decide('2 days after and my face is itchy')).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-13',
    });
    expect(decide('una semana después y todavía tengo granitos', { lang: 'es' })).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-08',
    });
  });

  it('takes little scabs for the flaking of a healing skin', () => {
    expect(decide('I had microneedling 2 days ago and I have tiny scabs')).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-13',
    });
    expect(decide('me hice dermapen hace 3 días y tengo costritas', { lang: 'es' })).toMatchObject({
      kind: 'day-report',
      treatmentDate: '2026-06-12',
    });
  });

  it("gives no microneedling day-by-day guidance on another procedure's healing", () => {
    expect(decide('I had IPL 3 days ago and my face is still red').kind).not.toBe('day-report');
    expect(decide('me quitaron un lunar hace dos días y sigo roja').kind).not.toBe('day-report');
    expect(decide('I had my laser session on Monday').kind).not.toBe('start-flow');
    // Both named: the patient may be asking about microneedling.
    expect(decide('I had microneedling and a peel 3 days ago and my face is still red').kind).toBe('day-report');
  });

  it("does not take another day's date for the treatment's", () => {
    expect(decide('will my face be red for my wedding on saturday?').kind).not.toBe('day-report');
    expect(decide('tengo una boda el sábado, ¿seguiré roja?', { lang: 'es' }).kind).not.toBe('day-report');
    expect(decide('I had it done on Saturday and I am still red').kind).toBe('day-report');
    expect(decide('still red since Saturday').kind).toBe('day-report');
  });

  it('starts aftercare for a treatment date nothing else answers, but not for any date', () => {
    expect(decide('I had my session on Monday')).toMatchObject({ kind: 'start-flow', flow: 'aftercare' });
    expect(decide('who won the game last night').kind).toBe('fallback');
    // A needle length is not a date, and a topic the content does not cover is said, not guided.
    expect(decide('does 1.5 mm microneedling with minoxidil reverse hair loss?').kind).toBe('fallback');
  });

  it('answers each question of a message that asks two', () => {
    expect(answered(decide('does it hurt and how long is the downtime?'))).toEqual(['pain', 'downtime']);
    expect(answered(decide('¿Duele? ¿Cuántas sesiones necesito?', { lang: 'es' }))).toEqual([
      'pain',
      'number-of-sessions',
    ]);
    // Read whole it leans to the benefits answer; each of its two questions is answered more surely.
    expect(answered(decide('What Is Micro-Needling, and How Does It Work?'))).toEqual([
      'what-is-microneedling',
      'how-it-works',
    ]);
  });

  it('reads a follow-up against the answer before it', () => {
    const previous = { faqId: 'swelling', question: 'is swelling normal after microneedling?' };
    expect(answered(decide('and how long does that last?', { previous }))).toEqual(['swelling']);
    // Alone it would be the appointment's length, unrelated to peeling; it names no subject of its own.
    const peeling = { faqId: 'peeling-dryness', question: 'is peeling normal?' };
    expect(answered(decide('how long does it last?', { previous: peeling }))).toEqual(['peeling-dryness']);
    const pelar = { faqId: 'peeling-dryness', question: '¿es normal que se pele la piel?' };
    expect(answered(decide('¿cuánto dura eso?', { previous: pelar, lang: 'es' }))).toEqual(['peeling-dryness']);
    // A question of its own related to the answer before is answered as asked.
    const what = { faqId: 'what-is-microneedling', question: 'what is microneedling?' };
    expect(answered(decide('how does it work?', { previous: what }))).toEqual(['how-it-works']);
  });

  it('says what the content does not cover, next to what it does', () => {
    const d = decide('can microneedling be combined with PRP?');
    expect(d.kind === 'answers' || d.kind === 'fallback').toBe(true);
    if (d.kind === 'answers' || d.kind === 'fallback') expect(d.notCovered).toEqual(['PRP (platelet-rich plasma)']);
  });

  it('answers the commonest question shapes', () => {
    expect(answered(decide('What is the recovery like?'))).toEqual(['healing-timeline']);
    expect(answered(decide('¿Cuáles son los beneficios?', { lang: 'es' }))).toEqual(['benefits-overview']);
  });

  it('reads Spanish spelt by ear and chat shorthand', () => {
    const es = { lang: 'es' as const };
    expect(answered(decide('ke es el dermapen', es))).toEqual(['what-is-microneedling']);
    expect(answered(decide('me puedo maquiyar despues', es))).toEqual(['aftercare-makeup']);
    expect(answered(decide('cuando beo resultados', es))).toEqual(['results-timeline']);
    expect(answered(decide('q cuidados despues', es))).toEqual(['aftercare-overview']);
    expect(answered(decide('oye y eso del dermapen pa que sirve', es))).toEqual(['benefits-overview']);
    expect(answered(decide('yo what does microneedling even do'))).toEqual(['benefits-overview']);
  });

  it('reads past a likeness it does not know', () => {
    expect(answered(decide("I'm peeling like a snake"))).toEqual(['peeling-dryness']);
  });

  it('knows the other names of the treatment in both languages', () => {
    expect(answered(decide('what is skin needling?'))).toEqual(['what-is-microneedling']);
    expect(answered(decide('¿qué es la inducción de colágeno?', { lang: 'es' }))).toEqual(['what-is-microneedling']);
  });

  it('answers a repeated "send" after a request was sent, and only then', () => {
    const send = [...parts.sendButtonTitles][0];
    expect(decide(send, { bookingSent: true }).kind).toBe('repeated-send');
    expect(decide(send).kind).not.toBe('repeated-send');
  });
});

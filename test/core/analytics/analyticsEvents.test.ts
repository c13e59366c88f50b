import { channelOf, messageEvent, MessageOutcome } from '../../../core/analytics/analyticsEvents';
import { AnswerReply } from '../../../core/consultation/consultationEngine';
import { MessageDecision } from '../../../core/consultation/messageDecision';
import { FaqEntry } from '../../../core/content/schemas';

const ENTRY: FaqEntry = {
  id: 'pain',
  topic: 'procedure',
  sources: ['clinic-guide'],
  reviewed: '2026-01-10',
  related: [],
  en: { title: 'Does it hurt?', questions: ['does it hurt'], answer: 'A little.' },
  es: { title: '¿Duele?', questions: ['duele'], answer: 'Un poco.' },
};

describe('messageEvent', () => {
  it('counts an answer with the entries it gave, in the language the question was read in', () => {
    const answer: AnswerReply = {
      kind: 'answer',
      lang: 'es',
      entry: ENTRY,
      text: 'Un poco.',
      sources: [],
      related: [],
      confidence: 0.9,
    };
    const event = messageEvent(
      { kind: 'answers', lang: 'es', answers: [answer], notCovered: [], via: 'whole' },
      'en',
      'webchat',
    );
    expect(event).toMatchObject({ kind: 'message', outcome: 'answered', lang: 'es', channel: 'webchat' });
    expect(event.kind === 'message' && event.outcome === 'answered' && event.entries.map((e) => e.id)).toEqual([
      'pain',
    ]);
  });

  const cases: [MessageDecision, MessageOutcome][] = [
    [{ kind: 'clarify', lang: 'en', options: [ENTRY], confidence: 0.4, notCovered: [] }, 'did-you-mean'],
    [{ kind: 'fallback', lang: 'en', confidence: 0.1, notCovered: [] }, 'fallback'],
    [{ kind: 'start-flow', lang: 'en', flow: 'screening', reason: 'asked' }, 'flow'],
    [{ kind: 'flow-reads' }, 'flow'],
    [{ kind: 'day-report', lang: 'en', treatmentDate: '2026-03-01' }, 'flow'],
    [{ kind: 'command', lang: 'en', command: 'help' }, 'command'],
    [{ kind: 'stop-flow', lang: 'en' }, 'command'],
    [{ kind: 'not-text', lang: 'en' }, 'other'],
    [{ kind: 'too-long', lang: 'en', chars: 5000 }, 'other'],
  ];
  it.each(cases.map(([decision, outcome]) => ({ kind: decision.kind, decision, outcome })))(
    'counts a "$kind" decision as $outcome, in the language it was read in (else the patient\'s)',
    ({ decision, outcome }) => {
      const lang = decision.kind === 'flow-reads' ? 'es' : 'en';
      expect(messageEvent(decision, 'es', 'msteams')).toEqual({ kind: 'message', outcome, lang, channel: 'msteams' });
    },
  );

  it('counts a warning sign in the language it was read in', () => {
    const decision: MessageDecision = {
      kind: 'red-flag',
      reply: { kind: 'red-flag', lang: 'es', level: 'urgent', guidance: 'Llame', signs: ['pus'] },
      tooLong: false,
      offerPerson: true,
    };
    expect(messageEvent(decision, 'en', 'test')).toEqual({
      kind: 'message',
      outcome: 'red-flag',
      lang: 'es',
      channel: 'test',
    });
  });
});

describe('channelOf', () => {
  it('names the channels it counts and calls any other id "other"', () => {
    expect(['msteams', 'webchat', 'directline', 'emulator', 'test'].map(channelOf)).toEqual([
      'msteams',
      'webchat',
      'directline',
      'emulator',
      'test',
    ]);
    expect([undefined, 42, 'slack', 'my name is Ana', '__proto__'].map(channelOf)).toEqual([
      'other',
      'other',
      'other',
      'other',
      'other',
    ]);
  });
});

import { ConsultationEngine } from '../../../core/consultation/consultationEngine';
import { DecisionParts, decisionParts } from '../../../core/consultation/messageDecision';
import {
  formatQuestionReport,
  QuestionReport,
  reportQuestion,
  ReportSituation,
} from '../../../core/consultation/questionReport';
import { LANGS } from '../../../core/text/language';
import { loadContentFiles } from '../../../core/content/contentLoader';
import { createLocalizer } from '../../../bot/i18n';
import { LOCALES_DIR } from '../../helpers/content';
import { smallContent } from '../../helpers/smallContent';

describe('the question report of npm run ask and the test pane', () => {
  let parts: DecisionParts;
  const situation: ReportSituation = { today: { year: 2026, month: 3, day: 12 }, maxMessageChars: 2000 };
  const ask = (question: string, lang: 'en' | 'es' = 'en'): QuestionReport =>
    reportQuestion(parts, question, lang, situation);
  beforeAll(async () => {
    const i18n = await createLocalizer(LOCALES_DIR, true);
    const engine = new ConsultationEngine(loadContentFiles(smallContent()), i18n.commands);
    const titles = (key: string): string[] => LANGS.map((l) => i18n.t(l, key));
    parts = decisionParts(engine, i18n.replies, titles('flows.booking.buttons.send'), titles('handoff.callbackButton'));
  });

  it('reports the entry answered, its confidence and the runners-up with their scores', () => {
    const report = ask('does it hurt?', 'en');
    expect(report.reply).toMatchObject({ kind: 'answer', entryId: 'pain', title: 'Does it hurt?' });
    expect(report.warningSign).toBeUndefined();
    expect(report.matcher.ranked[0]).toMatchObject({ id: 'pain' });
    expect(report.matcher.ranked.length).toBeLessThanOrEqual(4);
    const text = formatQuestionReport(report);
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Question (en): does it hurt?', '', 'Warning sign:  no']);
    expect(lines[3]).toMatch(/^Bot replies: {3}the answer of entry "pain" — Does it hurt\? \(confidence \d+ %\)$/);
    expect(lines[5]).toMatch(/^Most people/);
    const matcher = lines.findIndex((l) => l.startsWith('Matcher (en): '));
    expect(lines[matcher]).toMatch(/how much of the question it knows \d+ %, out-of-scope \d+ %$/);
    expect(lines[matcher + 1]).toMatch(/^ +\d+ % {2}pain {2}\(closest phrasing \d+ %\)$/);
  });

  it('says which warning sign fired, and that urgent guidance goes first', () => {
    const report = ask('its day 3 and theres pus coming out of my cheek', 'en');
    expect(report.warningSign).toMatchObject({ level: 'urgent' });
    expect(report.reply).toEqual({ kind: 'urgent' });
    const text = formatQuestionReport(report);
    expect(text).toMatch(/Warning sign: {2}YES — urgent: .+ \(urgent guidance is sent before anything else\)\n/);
    expect(text).toMatch(/\nBot replies: {3}urgent guidance\n/);
  });

  it('names the topics the content does not cover when nothing answers', () => {
    const report = ask('how much is a session?', 'en');
    expect(report.reply).toMatchObject({ kind: 'not-covered', topics: [expect.stringMatching(/price/i)] });
    expect(formatQuestionReport(report)).toMatch(
      /Bot replies: {3}says the clinic's information does not cover .*price/i,
    );
  });

  // What staff test is what patients get: the same decision as a patient's first message.
  it('reports every answer of a message that asks two things, in order', () => {
    const report = ask('does it hurt and how long is the downtime?');
    expect(report.reply).toMatchObject({ kind: 'answer', entryId: 'pain', more: [{ entryId: 'downtime' }] });
    const text = formatQuestionReport(report);
    expect(text).toMatch(/Bot replies: {3}the answer of entry "pain"/);
    expect(text).toMatch(/\nThen: {10}the answer of entry "downtime"/);
  });

  it('reports day-by-day guidance for a symptom with a treatment date', () => {
    const report = ask('I had microneedling 2 days ago and I am still red');
    expect(report.reply).toEqual({ kind: 'day-report', treatmentDate: '2026-03-10' });
    expect(formatQuestionReport(report)).toMatch(/day-by-day aftercare guidance for a treatment on 2026-03-10/);
  });

  it('reports the offer of a person when the patient asks for one', () => {
    expect(ask('can I talk to a real person please').reply).toEqual({ kind: 'person' });
    expect(ask('quiero hablar con una persona', 'es').reply).toEqual({ kind: 'person' });
  });

  it('reports an over-long message as the bot answers it', () => {
    expect(
      reportQuestion(parts, 'does it hurt? '.repeat(10), 'en', { ...situation, maxMessageChars: 50 }).reply,
    ).toEqual({ kind: 'too-long' });
  });
});

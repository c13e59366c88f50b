import { ConsultationEngine } from '../../../core/consultation/consultationEngine';
import { formatQuestionReport, reportQuestion } from '../../../core/consultation/questionReport';
import { loadContentFiles } from '../../../core/content/contentLoader';
import { createLocalizer } from '../../../bot/i18n';
import { LOCALES_DIR } from '../../helpers/content';
import { smallContent } from '../../helpers/smallContent';

describe('the question report of npm run ask and the test pane', () => {
  let engine: ConsultationEngine;
  beforeAll(async () => {
    const i18n = await createLocalizer(LOCALES_DIR, true);
    engine = new ConsultationEngine(loadContentFiles(smallContent()), i18n.commands);
  });

  it('reports the entry answered, its confidence and the runners-up with their scores', () => {
    const report = reportQuestion(engine, 'does it hurt?', 'en');
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
    const report = reportQuestion(engine, 'its day 3 and theres pus coming out of my cheek', 'en');
    expect(report.warningSign).toMatchObject({ level: 'urgent' });
    expect(report.reply).toEqual({ kind: 'urgent' });
    const text = formatQuestionReport(report);
    expect(text).toMatch(/Warning sign: {2}YES — urgent: .+ \(urgent guidance is sent before anything else\)\n/);
    expect(text).toMatch(/\nBot replies: {3}urgent guidance\n/);
  });

  it('names the topics the content does not cover when nothing answers', () => {
    const report = reportQuestion(engine, 'how much is a session?', 'en');
    expect(report.reply).toMatchObject({ kind: 'not-covered', topics: [expect.stringMatching(/price/i)] });
    expect(formatQuestionReport(report)).toMatch(
      /Bot replies: {3}says the clinic's information does not cover .*price/i,
    );
  });
});

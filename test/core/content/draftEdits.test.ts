import { parse } from 'yaml';
import { checkContentFiles } from '../../../core/content/contentCheck';
import { readContentDir } from '../../../core/content/contentFiles';
import { inspectContentFiles } from '../../../core/content/contentLoader';
import {
  addFaqEntry,
  addPhrasing,
  applyEdits,
  DraftEditError,
  newEntryFromQuestion,
} from '../../../core/content/draftEdits';
import { CONTENT_DIR } from '../../helpers/content';
import { AFTER_REVIEWS, smallContent } from '../../helpers/smallContent';

type Faq = { entries: { id: string; en: { questions: string[]; answer: string } }[] };

describe('draft edits on the real content files', () => {
  const files = readContentDir(CONTENT_DIR);
  const faq = parse(files['faq.yaml']) as Faq;
  const painAt = faq.entries.findIndex((e) => e.id === 'pain');

  it('changes one answer of faq.yaml and leaves every other line as it was', () => {
    const next = applyEdits(files, [
      { file: 'faq.yaml', path: ['entries', painAt, 'en', 'answer'], value: 'It stings a little. It passes.' },
    ]);
    const before = files['faq.yaml'].split('\n');
    const after = next['faq.yaml'].split('\n');
    const oldAnswerLines = faq.entries[painAt].en.answer.split('. ').length;
    expect(before.length - after.length).toBe(oldAnswerLines - 2);
    expect(after.filter((l) => !before.includes(l))).toEqual(['        It stings a little.', '        It passes.']);
    expect(next['sources.yaml']).toBe(files['sources.yaml']);
    expect(inspectContentFiles(next).content?.faqById.get('pain')?.en.answer).toBe('It stings a little. It passes.');
  });

  it("adds a phrasing from the unanswered-questions inbox to the end of the entry's phrasings", () => {
    const edit = addPhrasing(files, 'pain', 'en', '  will the needles sting  ');
    expect(edit).toEqual({
      file: 'faq.yaml',
      path: ['entries', painAt, 'en', 'questions', faq.entries[painAt].en.questions.length],
      value: 'will the needles sting',
    });
    const next = applyEdits(files, [edit]);
    expect(next['faq.yaml'].length - files['faq.yaml'].length).toBe('        - will the needles sting\n'.length);
  });

  it('refuses a phrasing the entry has already, or an entry that does not exist', () => {
    const existing = faq.entries[painAt].en.questions[0];
    expect(() => addPhrasing(files, 'pain', 'en', existing.toUpperCase())).toThrow(DraftEditError);
    expect(() => addPhrasing(files, 'no-such-entry', 'en', 'x')).toThrow(/there is no entry "no-such-entry"/);
  });

  it('starts a new entry from a question, which content:check flags field by field until it is complete', () => {
    const small = smallContent();
    const { id, index, edit } = newEntryFromQuestion(small, '¿Puedo hacerlo en el cuello?', 'es');
    expect(id).toBe('puedo-hacerlo-en-el-cuello');
    const next = applyEdits(small, [edit]);
    const report = checkContentFiles(next, { maxReviewAgeDays: 365, now: AFTER_REVIEWS });
    const flagged = report.errors.filter((p) => p.path?.[1] === index).map((p) => p.path?.slice(2).join('.'));
    expect(flagged).toEqual(
      expect.arrayContaining([
        'topic',
        'sources',
        'reviewed',
        'en.title',
        'en.questions',
        'en.answer',
        'es.title',
        'es.questions',
        'es.answer',
      ]),
    );
    expect(parse(next['faq.yaml']).entries[index].es.questions).toEqual(['¿Puedo hacerlo en el cuello?']);
    // The same question again gets its own id.
    expect(newEntryFromQuestion(next, '¿Puedo hacerlo en el cuello?', 'es').id).toBe('puedo-hacerlo-en-el-cuello-2');
  });

  it('adds a complete entry that content:check accepts, and refuses an id already used', () => {
    const small = smallContent();
    const edit = addFaqEntry(small, {
      id: 'neck-treatment',
      topic: 'procedure',
      sources: ['procedure-guide'],
      reviewed: '2026-03-01',
      en: {
        title: 'Can the neck be treated?',
        questions: ['can you do my neck', 'microneedling on the neck', 'is the neck treatable with microneedling'],
        answer: 'Yes, the neck can be treated. The clinician adjusts the depth for thinner skin.',
      },
      es: {
        title: '¿Se puede tratar el cuello?',
        questions: ['me lo podéis hacer en el cuello', 'microneedling en el cuello', 'se puede tratar el cuello'],
        answer: 'Sí, el cuello se puede tratar. El profesional ajusta la profundidad a la piel más fina.',
      },
    });
    const next = applyEdits(small, [edit]);
    const report = checkContentFiles(next, { maxReviewAgeDays: 365, now: AFTER_REVIEWS });
    expect(report.errors).toEqual([]);
    expect(report.counts?.entries).toBe(5);
    expect(() => addFaqEntry(next, { id: 'neck-treatment' })).toThrow(/the id "neck-treatment" is already used/);
  });

  it('replaces a whole file, but only a content file, and only with its text', () => {
    expect(applyEdits(files, [{ file: 'menu.yaml', path: [], value: 'version: 1\n' }])['menu.yaml']).toBe(
      'version: 1\n',
    );
    expect(() => applyEdits(files, [{ file: 'secrets.env', path: [], value: 'x' }])).toThrow(/not a content file/);
    expect(() => applyEdits(files, [{ file: 'menu.yaml', path: [] }])).toThrow(/replaced by its text/);
    expect(() => applyEdits(files, [{ file: 'menu.yaml', path: ['welcome', 99], value: 'pain' }])).toThrow(
      DraftEditError,
    );
  });
});

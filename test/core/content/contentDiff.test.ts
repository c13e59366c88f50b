import { diffContent, lineDiff } from '../../../core/content/contentDiff';

const FAQ = `version: 1
entries:
  - id: pain
    topic: procedure
    sources: [guide]
    en:
      title: Does it hurt?
      questions: [does it hurt, is it painful, will it hurt]
      answer: Slight discomfort.
    es:
      title: ¿Duele?
      questions: [duele, es doloroso, me va a doler]
      answer: Una ligera molestia.
  - id: downtime
    topic: recovery
    sources: [guide]
    en:
      title: Downtime
      questions: [downtime, time off, recovery time]
      answer: A day or two.
    es:
      title: Recuperación
      questions: [recuperación, baja, tiempo]
      answer: Uno o dos días.
`;

describe('the diff of two content versions', () => {
  it('shows a changed answer per language with its old and new text, and the phrasings added and removed', () => {
    const after = FAQ.replace('answer: Slight discomfort.', 'answer: A little stinging.').replace(
      'questions: [does it hurt, is it painful, will it hurt]',
      'questions: [does it hurt, will it hurt, does it sting]',
    );
    const diff = diffContent({ 'faq.yaml': FAQ }, { 'faq.yaml': after });
    expect(diff.entries).toEqual([
      {
        id: 'pain',
        change: 'changed',
        title: { en: 'Does it hurt?', es: '¿Duele?' },
        fields: [
          { field: 'questions', lang: 'en', added: ['does it sting'], removed: ['is it painful'] },
          { field: 'answer', lang: 'en', before: 'Slight discomfort.', after: 'A little stinging.' },
        ],
      },
    ]);
    expect(diff.files).toEqual([]);
    expect(diff.counts).toEqual({ entriesAdded: 0, entriesRemoved: 0, entriesChanged: 1, files: [] });
  });

  it('names entries added and removed, and changed ids lists as items added and removed', () => {
    const after = FAQ.slice(0, FAQ.indexOf('  - id: downtime')).concat(
      FAQ.slice(FAQ.indexOf('  - id: downtime'))
        .replace('id: downtime', 'id: recovery')
        .replace('[guide]', '[guide, leaflet]'),
    );
    const diff = diffContent({ 'faq.yaml': FAQ }, { 'faq.yaml': after });
    expect(diff.entries.map((e) => [e.id, e.change])).toEqual([
      ['recovery', 'added'],
      ['downtime', 'removed'],
    ]);
    expect(diff.entries[0].fields).toContainEqual({ field: 'sources', added: ['guide', 'leaflet'], removed: [] });
    expect(diff.entries[1].fields).toContainEqual({ field: 'answer', lang: 'en', before: 'A day or two.' });
    expect(diff.counts).toMatchObject({ entriesAdded: 1, entriesRemoved: 1, entriesChanged: 0 });
  });

  it('shows the other files line by line, long unchanged stretches folded', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 10\n', 'line ten\n');
    const diff = diffContent({ 'clinic.yaml': before, 'faq.yaml': FAQ }, { 'clinic.yaml': after, 'faq.yaml': FAQ });
    expect(diff.files).toEqual([
      {
        file: 'clinic.yaml',
        change: 'changed',
        lines: [
          { kind: 'skipped', count: 7 },
          { kind: 'same', text: 'line 8' },
          { kind: 'same', text: 'line 9' },
          { kind: 'removed', text: 'line 10' },
          { kind: 'added', text: 'line ten' },
          { kind: 'same', text: 'line 11' },
          { kind: 'same', text: 'line 12' },
          { kind: 'skipped', count: 8 },
        ],
      },
    ]);
    expect(diff.counts.files).toEqual(['clinic.yaml']);
  });

  it('shows faq.yaml by line when only its comments changed, or when it cannot be read', () => {
    const commented = diffContent({ 'faq.yaml': FAQ }, { 'faq.yaml': `# reviewed by Ana\n${FAQ}` });
    expect(commented.entries).toEqual([]);
    expect(commented.files[0].lines[0]).toEqual({ kind: 'added', text: '# reviewed by Ana' });
    const broken = diffContent({ 'faq.yaml': FAQ }, { 'faq.yaml': `${FAQ}  - id: [broken\n` });
    expect(broken.files.map((f) => f.file)).toEqual(['faq.yaml']);
  });

  it('folds nothing in a short diff', () => {
    expect(lineDiff('a\nb\n', 'a\nc\n')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'c' },
    ]);
  });
});

import { parse } from 'yaml';
import { editYamlText, YamlEditError } from '../../../core/content/yamlEdit';

const FILE = `# The entries staff edit.
version: 1
entries:
  - id: pain   # the one patients ask most
    sources: [guide, faq]
    en:
      title: Does it hurt?
      questions:
        # the commonest first
        - does it hurt
        - is it painful # informal
      answer: >-
        Most people feel slight discomfort.
        A numbing cream is applied first.
    es:
      title: "¿Duele?"
  - id: downtime
    sources: [guide]
`;

/** The lines of `after` that are not in `before`, and the other way round. */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('editing YAML text by field', () => {
  it('changes one title and nothing else, comments included', () => {
    const out = editYamlText(FILE, ['entries', 0, 'en', 'title'], 'Is it painful?');
    expect(changedLines(FILE, out)).toEqual({
      added: ['      title: Is it painful?'],
      removed: ['      title: Does it hurt?'],
    });
  });

  it('quotes a new value only when YAML needs it, in the quotes the field had', () => {
    expect(changedLines(FILE, editYamlText(FILE, ['entries', 0, 'en', 'title'], 'Pain: how much?')).added).toEqual([
      "      title: 'Pain: how much?'",
    ]);
    expect(changedLines(FILE, editYamlText(FILE, ['entries', 0, 'es', 'title'], '¿Duele "mucho"?')).added).toEqual([
      '      title: "¿Duele \\"mucho\\"?"',
    ]);
  });

  it('writes a new answer as a folded block, one sentence a line, as the files do', () => {
    const out = editYamlText(FILE, ['entries', 0, 'en', 'answer'], 'It stings a little. It passes quickly!');
    expect(out).toContain('      answer: >-\n        It stings a little.\n        It passes quickly!\n    es:');
    expect(parse(out).entries[0].en.answer).toBe('It stings a little. It passes quickly!');
  });

  it('appends a phrasing after the last one, keeping the comments of the others', () => {
    const out = editYamlText(FILE, ['entries', 0, 'en', 'questions', 2], 'will it hurt, honestly');
    expect(changedLines(FILE, out)).toEqual({ added: ['        - will it hurt, honestly'], removed: [] });
    expect(out).toContain(
      '        # the commonest first\n        - does it hurt\n        - is it painful # informal\n',
    );
  });

  it('replaces a list of phrasings, keeping the comment of a phrasing that stays', () => {
    const out = editYamlText(FILE, ['entries', 0, 'en', 'questions'], ['is it painful', 'does it sting']);
    expect(parse(out).entries[0].en.questions).toEqual(['is it painful', 'does it sting']);
    expect(out).toContain('- is it painful # informal');
    expect(out).toContain('version: 1\n');
    expect(out).toContain('id: pain   # the one patients ask most');
  });

  it('deletes one phrasing by removing its line', () => {
    const out = editYamlText(FILE, ['entries', 0, 'en', 'questions', 1], undefined);
    expect(changedLines(FILE, out)).toEqual({ added: [], removed: ['        - is it painful # informal'] });
  });

  it('keeps an id list on one line, quoting an item that needs it', () => {
    expect(
      changedLines(FILE, editYamlText(FILE, ['entries', 0, 'sources'], ['guide', 'faq', 'leaflet'])).added,
    ).toEqual(['    sources: [guide, faq, leaflet]']);
    expect(parse(editYamlText(FILE, ['entries', 1, 'sources', 0], 'a, b')).entries[1].sources).toEqual(['a, b']);
  });

  it('adds a field to an entry, and a whole entry at the end of the list', () => {
    const related = editYamlText(FILE, ['entries', 1, 'related'], ['pain']);
    expect(changedLines(FILE, related)).toEqual({ added: ['    related: [pain]'], removed: [] });

    const out = editYamlText(FILE, ['entries', 2], {
      id: 'numbing',
      sources: ['guide'],
      en: {
        title: 'Numbing',
        questions: ['is there numbing cream'],
        answer: 'A cream is applied for about 30 minutes first. It makes the treatment comfortable for most people.',
      },
    });
    expect(out.startsWith(FILE)).toBe(true);
    expect(out.slice(FILE.length)).toBe(
      [
        '  - id: numbing',
        '    sources: [guide]',
        '    en:',
        '      title: Numbing',
        '      questions:',
        '        - is there numbing cream',
        '      answer: >-',
        '        A cream is applied for about 30 minutes first.',
        '        It makes the treatment comfortable for most people.',
        '',
      ].join('\n'),
    );
  });

  it('removes a whole entry and leaves the others as they were', () => {
    const out = editYamlText(FILE, ['entries', 1], undefined);
    expect(out).toBe(FILE.replace('  - id: downtime\n    sources: [guide]\n', ''));
  });

  it('rewrites the smallest part around a change it cannot splice, still keeping the value right', () => {
    // The only phrasing deleted: the list becomes empty, written as [].
    const one = editYamlText(FILE, ['entries', 0, 'en', 'questions'], ['only']);
    const out = editYamlText(one, ['entries', 0, 'en', 'questions', 0], undefined);
    expect(parse(out).entries[0].en.questions).toEqual([]);
    expect(out).toContain('# The entries staff edit.');
    expect(out).toContain('        A numbing cream is applied first.');
  });

  it('says plainly why an edit cannot be made', () => {
    expect(() => editYamlText(FILE, ['entries', 5, 'id'], 'x')).toThrow(
      new YamlEditError('there is no item 5 in this list (it has 2)', ['entries', 5]),
    );
    expect(() => editYamlText(FILE, ['version', 'x'], 'y')).toThrow(/a single value, not a list or a group of fields/);
    expect(() => editYamlText('a: [unclosed\n', ['a'], 'x')).toThrow(/not valid YAML/);
  });
});

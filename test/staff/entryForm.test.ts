import * as path from 'node:path';
import { parse } from 'yaml';
import { DraftEntry, draftEntry, entryEdits, entryFromForm } from '../../bot/staff/entryForm';
import { readContentDir } from '../../core/content/contentFiles';
import { inspectContentFiles } from '../../core/content/contentLoader';
import { applyEdits } from '../../core/content/draftEdits';
import { LANGS } from '../../core/text/language';

const FILES = readContentDir(path.join(__dirname, '..', '..', 'content'));

/** The form a browser posts for an entry, as the editor shows it, with the caution box ticked or not. */
function formOf(entry: DraftEntry, caution: boolean): URLSearchParams {
  const form = new URLSearchParams({ topic: entry.topic, reviewed: entry.reviewed, related: entry.related.join(', ') });
  for (const s of entry.sources) form.append('sources', s);
  for (const lang of LANGS) {
    form.set(`${lang}.title`, entry.langs[lang].title);
    form.set(`${lang}.questions`, entry.langs[lang].questions.join('\n'));
    form.set(`${lang}.answer`, entry.langs[lang].answer);
  }
  if (caution) form.set('caution', 'yes');
  return form;
}

function entryInFile(files: Record<string, string>, id: string): Record<string, unknown> {
  const doc = parse(files['faq.yaml']) as { entries: Record<string, unknown>[] };
  return doc.entries.find((e) => e.id === id) ?? {};
}

describe("the entry editor's caution box", () => {
  const pregnancy = draftEntry(FILES, 'pregnancy-breastfeeding')!;
  const pain = draftEntry(FILES, 'pain')!;

  it('reads which entries are a reason to be careful', () => {
    expect(pregnancy.caution).toBe(true);
    expect(pain.caution).toBe(false);
  });

  it('changes nothing when the box is left as it was', () => {
    expect(entryEdits(pregnancy, formOf(pregnancy, true))).toEqual([]);
    expect(entryEdits(pain, formOf(pain, false))).toEqual([]);
  });

  it('writes caution: true when ticked, and takes the field out when unticked', () => {
    const ticked = applyEdits(FILES, entryEdits(pain, formOf(pain, true)));
    expect(entryInFile(ticked, 'pain').caution).toBe(true);
    expect(draftEntry(ticked, 'pain')?.caution).toBe(true);

    const unticked = applyEdits(FILES, entryEdits(pregnancy, formOf(pregnancy, false)));
    expect(entryInFile(unticked, 'pregnancy-breastfeeding')).not.toHaveProperty('caution');
    expect(draftEntry(unticked, 'pregnancy-breastfeeding')?.caution).toBe(false);

    for (const files of [ticked, unticked]) expect(inspectContentFiles(files).problems).toEqual([]);
  });

  it('keeps the box as posted when a save is refused', () => {
    expect(entryFromForm(pain, formOf(pain, true)).caution).toBe(true);
    expect(entryFromForm(pregnancy, formOf(pregnancy, false)).caution).toBe(false);
  });
});

import { parse } from 'yaml';
import { Lang } from '../text/language';
import { normalizeText } from '../text/normalize';
import { CONTENT_FILES, ContentFiles, isContentFileName } from './contentFiles';
import { editYamlText, YamlEditError } from './yamlEdit';

/**
 * One change to a content file, by the field it changes: `path` is the field's place in the
 * file's data (`['entries', 3, 'en', 'answer']`). `value` undefined deletes the field or the list
 * item; an index one past a list's end appends. `path: []` with a string replaces the whole file.
 */
export type DraftEdit = { file: string; path: (string | number)[]; value?: unknown };

/** An edit that cannot be made, with the edit and a reason staff can act on. */
export class DraftEditError extends Error {
  override readonly name = 'DraftEditError';
  constructor(
    message: string,
    readonly edit: DraftEdit,
  ) {
    super(`${edit.file} ${edit.path.join(' → ') || '(whole file)'}: ${message}`);
  }
}

/** What a new FAQ entry may be given; whatever is left out is written empty, for content:check to ask for. */
export interface NewFaqEntry {
  id: string;
  topic?: string;
  sources?: string[];
  reviewed?: string;
  related?: string[];
  en?: Partial<FaqLanguageFields>;
  es?: Partial<FaqLanguageFields>;
}

interface FaqLanguageFields {
  title: string;
  questions: string[];
  answer: string;
}

const FAQ = CONTENT_FILES.faq;
const MAX_ID_WORDS = 6;

/** The files with the edits made in order, each changing only its own text (comments and layout stay). */
export function applyEdits(files: ContentFiles, edits: readonly DraftEdit[]): ContentFiles {
  const next: ContentFiles = { ...files };
  for (const edit of edits) {
    if (!isContentFileName(edit.file)) throw new DraftEditError('this is not a content file', edit);
    if (edit.path.length === 0) {
      if (typeof edit.value !== 'string') throw new DraftEditError('a whole file is replaced by its text', edit);
      next[edit.file] = edit.value;
      continue;
    }
    const text = next[edit.file];
    if (text === undefined) throw new DraftEditError('the file is missing', edit);
    try {
      next[edit.file] = editYamlText(text, edit.path, edit.value);
    } catch (err) {
      if (err instanceof YamlEditError) throw new DraftEditError(err.message, edit);
      throw err;
    }
  }
  return next;
}

/** The edit adding `text` as one more phrasing of an entry (the "add as a phrasing of entry …" action). */
export function addPhrasing(files: ContentFiles, entryId: string, lang: Lang, text: string): DraftEdit {
  const phrasing = text.trim();
  const entries = faqEntries(files);
  const index = entries.findIndex((e) => e.id === entryId);
  const edit: DraftEdit = { file: FAQ, path: ['entries', index, lang, 'questions'], value: phrasing };
  if (index < 0) throw new DraftEditError(`there is no entry "${entryId}"`, edit);
  if (phrasing === '') throw new DraftEditError('the phrasing is empty', edit);
  const block = entries[index][lang];
  const questions = isRecord(block) && Array.isArray(block.questions) ? block.questions : [];
  if (questions.some((q) => typeof q === 'string' && normalizeText(q) === normalizeText(phrasing)))
    throw new DraftEditError(`"${phrasing}" is already a phrasing of entry "${entryId}"`, edit);
  return { ...edit, path: [...edit.path, questions.length] };
}

/** The edit appending a new FAQ entry, its fields in the order the file keeps them. */
export function addFaqEntry(files: ContentFiles, entry: NewFaqEntry): DraftEdit {
  const entries = faqEntries(files);
  const language = (fields: Partial<FaqLanguageFields> = {}): FaqLanguageFields => ({
    title: fields.title ?? '',
    questions: fields.questions ?? [],
    answer: fields.answer ?? '',
  });
  const edit: DraftEdit = {
    file: FAQ,
    path: ['entries', entries.length],
    value: {
      id: entry.id,
      topic: entry.topic ?? '',
      sources: entry.sources ?? [],
      reviewed: entry.reviewed ?? '',
      related: entry.related ?? [],
      en: language(entry.en),
      es: language(entry.es),
    },
  };
  if (entries.some((e) => e.id === entry.id)) throw new DraftEditError(`the id "${entry.id}" is already used`, edit);
  return edit;
}

/**
 * A new entry started from a patient's question (the unanswered-questions inbox): the question
 * as its first phrasing, an id made from it, and every other field empty, so content:check names
 * each field still to fill in (title, answer, two more phrasings, the other language, sources,
 * topic, review date) until the entry is complete.
 */
export function newEntryFromQuestion(
  files: ContentFiles,
  text: string,
  lang: Lang,
): { id: string; index: number; edit: DraftEdit } {
  const question = text.trim();
  const taken = new Set(faqEntries(files).map((e) => e.id));
  const base =
    normalizeText(question)
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .filter((w) => w !== '')
      .slice(0, MAX_ID_WORDS)
      .join('-') || 'new-entry';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  const edit = addFaqEntry(files, { id, [lang]: { questions: question === '' ? [] : [question] } });
  return { id, index: Number(edit.path[1]), edit };
}

/** The entries of faq.yaml as plain data (empty when the file is missing or not valid YAML). */
function faqEntries(files: ContentFiles): { id?: unknown; [field: string]: unknown }[] {
  const text = files[FAQ];
  if (text === undefined) return [];
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return [];
  }
  return isRecord(data) && Array.isArray(data.entries) ? data.entries.filter(isRecord) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

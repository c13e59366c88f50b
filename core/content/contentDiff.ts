import { isDeepStrictEqual } from 'node:util';
import { diffLines } from 'diff';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { Lang, LANGS } from '../text/language';
import { CONTENT_FILES, ContentFiles } from './contentFiles';

/** One changed field of an FAQ entry: the text before and after, or the list items added and removed. */
export interface FieldChange {
  field: string;
  /** Set for the fields each language has (title, questions, answer). */
  lang?: Lang;
  before?: string;
  after?: string;
  /** For lists (phrasings, sources, related): what was added and removed, in order. */
  added?: string[];
  removed?: string[];
}

export interface EntryChange {
  id: string;
  change: 'added' | 'removed' | 'changed';
  /** The entry's titles (after the change; before it, for a removed entry). */
  title: Partial<Record<Lang, string>>;
  fields: FieldChange[];
}

/** A line of a file diff; a long run of unchanged lines is `skipped`. */
export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string } | { kind: 'skipped'; count: number };

export interface FileChange {
  file: string;
  change: 'added' | 'removed' | 'changed';
  lines: DiffLine[];
}

/**
 * How much changed: FAQ entries added, removed and changed, and the other files that changed
 * (faq.yaml too when only its layout or comments did).
 */
export const ChangeCountsSchema = z.object({
  entriesAdded: z.number().int(),
  entriesRemoved: z.number().int(),
  entriesChanged: z.number().int(),
  files: z.array(z.string()),
});
export type ChangeCounts = z.infer<typeof ChangeCountsSchema>;

export interface ContentDiff {
  entries: EntryChange[];
  files: FileChange[];
  counts: ChangeCounts;
}

/** Unchanged lines kept around each change of a file diff. */
const CONTEXT_LINES = 2;
const FAQ = CONTENT_FILES.faq;
const LANGUAGE_FIELDS = ['title', 'questions', 'answer'];

/**
 * What changed between two sets of content, for people: FAQ entries field by field (per
 * language, old and new text, phrasings added and removed), the other files line by line.
 */
export function diffContent(before: ContentFiles, after: ContentFiles): ContentDiff {
  const oldEntries = faqEntries(before[FAQ]);
  const newEntries = faqEntries(after[FAQ]);
  const entries = oldEntries && newEntries ? diffEntries(oldEntries, newEntries) : [];
  const files: FileChange[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const file of names) {
    const a = before[file];
    const b = after[file];
    if (a === b) continue;
    // faq.yaml is shown by entry; by line only when what changed is not in its entries (comments, order).
    if (file === FAQ && oldEntries && newEntries && entries.length > 0) continue;
    files.push({
      file,
      change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      lines: lineDiff(a ?? '', b ?? ''),
    });
  }
  return {
    entries,
    files,
    counts: {
      entriesAdded: entries.filter((e) => e.change === 'added').length,
      entriesRemoved: entries.filter((e) => e.change === 'removed').length,
      entriesChanged: entries.filter((e) => e.change === 'changed').length,
      files: files.map((f) => f.file),
    },
  };
}

type Entry = Record<string, unknown> & { id: string };

function diffEntries(before: Entry[], after: Entry[]): EntryChange[] {
  const oldById = new Map(before.map((e) => [e.id, e]));
  const newIds = new Set(after.map((e) => e.id));
  const changes: EntryChange[] = [];
  for (const entry of after) {
    const old = oldById.get(entry.id);
    if (!old) {
      changes.push({
        id: entry.id,
        change: 'added',
        title: titles(entry),
        fields: fieldChanges({ id: entry.id }, entry),
      });
    } else if (!isDeepStrictEqual(old, entry)) {
      changes.push({ id: entry.id, change: 'changed', title: titles(entry), fields: fieldChanges(old, entry) });
    }
  }
  for (const entry of before) {
    if (!newIds.has(entry.id))
      changes.push({
        id: entry.id,
        change: 'removed',
        title: titles(entry),
        fields: fieldChanges(entry, { id: entry.id }),
      });
  }
  return changes;
}

function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => f !== 'id');
  for (const field of fields) {
    const lang = LANGS.find((l) => l === field);
    if (lang) {
      const a = asRecord(before[lang]);
      const b = asRecord(after[lang]);
      const keys = [...new Set([...LANGUAGE_FIELDS, ...Object.keys(a), ...Object.keys(b)])];
      for (const key of keys) changes.push(...valueChange(key, a[key], b[key], lang));
    } else {
      changes.push(...valueChange(field, before[field], after[field]));
    }
  }
  return changes;
}

function valueChange(field: string, a: unknown, b: unknown, lang?: Lang): FieldChange[] {
  if (isDeepStrictEqual(a, b)) return [];
  const at = lang ? { field, lang } : { field };
  if ((Array.isArray(a) || a === undefined) && (Array.isArray(b) || b === undefined)) {
    const oldItems = (a ?? []).map(asText);
    const newItems = (b ?? []).map(asText);
    return [
      {
        ...at,
        added: newItems.filter((x) => !oldItems.includes(x)),
        removed: oldItems.filter((x) => !newItems.includes(x)),
      },
    ];
  }
  return [
    { ...at, ...(a === undefined ? {} : { before: asText(a) }), ...(b === undefined ? {} : { after: asText(b) }) },
  ];
}

/** Line diff of one file, long unchanged stretches folded away. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(before, after)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    for (const text of part.value.replace(/\n$/, '').split('\n')) lines.push({ kind, text });
  }
  const shown = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let k = Math.max(0, i - CONTEXT_LINES); k <= Math.min(lines.length - 1, i + CONTEXT_LINES); k++)
      shown[k] = true;
  });
  const folded: DiffLine[] = [];
  for (const [i, line] of lines.entries()) {
    if (shown[i]) {
      folded.push(line);
      continue;
    }
    const last = folded[folded.length - 1];
    if (last?.kind === 'skipped') last.count++;
    else folded.push({ kind: 'skipped', count: 1 });
  }
  return folded;
}

function faqEntries(text: string | undefined): Entry[] | undefined {
  if (text === undefined) return [];
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return undefined;
  }
  const list = asRecord(data).entries;
  if (!Array.isArray(list)) return undefined;
  const entries = list.filter((e): e is Entry => isRecord(e) && typeof e.id === 'string');
  // Without an id for every entry, entries cannot be told apart: show the file by line.
  return entries.length === list.length && new Set(entries.map((e) => e.id)).size === entries.length
    ? entries
    : undefined;
}

function titles(entry: Entry): Partial<Record<Lang, string>> {
  const out: Partial<Record<Lang, string>> = {};
  for (const lang of LANGS) {
    const title = asRecord(entry[lang]).title;
    if (typeof title === 'string') out[lang] = title;
  }
  return out;
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : stringify(v, { lineWidth: 0 }).trimEnd();
}

function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

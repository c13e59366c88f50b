import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Document, isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { normalizeText } from '../text/normalize';
import {
  Clinic,
  ClinicSchema,
  FaqEntry,
  FaqFileSchema,
  MenuFile,
  MenuFileSchema,
  RedFlagsFile,
  RedFlagsFileSchema,
  ScopeFile,
  ScopeFileSchema,
  Source,
  SourcesFileSchema,
  SynonymsFile,
  SynonymsFileSchema,
  ScreeningFile,
  ScreeningFileSchema,
  AftercareFile,
  AftercareFileSchema,
  FlowsFile,
  FlowsFileSchema,
  WalkthroughFile,
  WalkthroughFileSchema,
  FLOWS,
  FollowupsFile,
  FollowupsFileSchema,
} from './schemas';
import { CONTENT_FILE_NAMES, CONTENT_FILES, ContentFiles, readContentDir } from './contentFiles';
import { CLINIC_PLACEHOLDERS } from './templates';

/** Everything the bot answers from, validated as one consistent set. */
export interface ContentSet {
  /** Short hash of every content file: changes whenever staff change anything. */
  version: string;
  faq: FaqEntry[];
  faqById: ReadonlyMap<string, FaqEntry>;
  sources: ReadonlyMap<string, Source>;
  clinic: Clinic;
  redFlags: RedFlagsFile;
  scope: ScopeFile;
  menu: MenuFile;
  synonyms: SynonymsFile;
  screening: ScreeningFile;
  aftercare: AftercareFile;
  flows: FlowsFile;
  walkthrough: WalkthroughFile;
  followups: FollowupsFile;
}

export interface ContentProblem {
  file: string;
  /** 1-based line in the file, when the problem can be placed. */
  line?: number;
  /** Where in the file, in words: `entry "pain" → es → title`. */
  where?: string;
  /** Where in the file's data, as keys and indexes (`['entries', 3, 'es', 'title']`): the field to show it by. */
  path?: (string | number)[];
  message: string;
  /** What to do about it, for staff who are not developers. */
  fix?: string;
}

export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(readonly problems: ContentProblem[]) {
    super(`Content has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}

export function formatProblem(p: ContentProblem): string {
  const at = `${p.file}${p.line ? `:${p.line}` : ''}`;
  return `  - ${at}${p.where ? ` (${p.where})` : ''}: ${p.message}${p.fix ? `\n    fix: ${p.fix}` : ''}`;
}

const FILES = CONTENT_FILES;

/** Reads, validates and cross-checks the content directory; throws ContentError listing every problem. */
export function loadContent(dir: string): ContentSet {
  const { content, problems } = inspectContent(dir);
  if (!content) throw new ContentError(problems);
  return content;
}

/** Validates and cross-checks a set of content files; throws ContentError listing every problem. */
export function loadContentFiles(files: ContentFiles, options: InspectOptions = {}): ContentSet {
  const { content, problems } = inspectContentFiles(files, options);
  if (!content) throw new ContentError(problems);
  return content;
}

export type Path = readonly (string | number)[];

interface ParsedFile {
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

/** Like loadContent, but returns the problems (each placed at a file and line) instead of throwing. */
export interface ContentInspection {
  content?: ContentSet;
  problems: ContentProblem[];
  /** Places a later finding (by file and path in it) at a line, for tools that check more. */
  locate: (file: string, where: Path) => Pick<ContentProblem, 'line' | 'where' | 'path'>;
}

export interface InspectOptions {
  /**
   * Whether a file the content names (the clinic's logo) is there; without it such names are not
   * checked (content kept in the state store carries no images).
   */
  assetExists?: (name: string) => boolean;
}

/** Inspects the content folder: its files read as they are, then `inspectContentFiles`. */
export function inspectContent(dir: string): ContentInspection {
  return inspectContentFiles(readContentDir(dir), { assetExists: (name) => fs.existsSync(path.join(dir, name)) });
}

/** Validates and cross-checks a set of content files, returning every problem placed at its file, line and field. */
export function inspectContentFiles(files: ContentFiles, options: InspectOptions = {}): ContentInspection {
  const problems: ContentProblem[] = [];
  const parsed = new Map<string, ParsedFile>();

  const locate = (file: string, where: Path): Pick<ContentProblem, 'line' | 'where' | 'path'> => {
    const f = parsed.get(file);
    return {
      line: f ? lineOf(f, where) : undefined,
      where: f ? describePath(f.data, where) : undefined,
      path: [...where],
    };
  };
  /** A problem at a place in a file: its line and a description staff can find. */
  const at = (file: string, where: Path, message: string, fix?: string): void => {
    problems.push({ file, ...locate(file, where), message, fix });
  };

  const read = <S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined => {
    const raw = files[file];
    if (raw === undefined) {
      problems.push({ file, message: 'the file is missing', fix: `restore ${file} from the last good version` });
      return undefined;
    }
    const lines = new LineCounter();
    const doc = parseDocument(raw, { lineCounter: lines });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        problems.push({
          file,
          line: err.linePos?.[0]?.line,
          message: `this is not valid YAML (${err.message.split('\n')[0]})`,
          fix:
            'check the indentation (spaces, not tabs) and put text that contains ": " ' +
            'or starts with a symbol in "quotes"',
        });
      }
      return undefined;
    }
    const data: unknown = doc.toJS();
    parsed.set(file, { doc, lines, data });
    const result = schema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) at(file, issue.path.filter(isKey), issue.message, hintFor(issue));
      return undefined;
    }
    return result.data;
  };

  const faqFile = read(FILES.faq, FaqFileSchema);
  const sourcesFile = read(FILES.sources, SourcesFileSchema);
  const clinic = read(FILES.clinic, ClinicSchema);
  const redFlags = read(FILES.redFlags, RedFlagsFileSchema);
  const scope = read(FILES.scope, ScopeFileSchema);
  const menu = read(FILES.menu, MenuFileSchema);
  const synonyms = read(FILES.synonyms, SynonymsFileSchema);
  const screening = read(FILES.screening, ScreeningFileSchema);
  const aftercare = read(FILES.aftercare, AftercareFileSchema);
  const flows = read(FILES.flows, FlowsFileSchema);
  const walkthrough = read(FILES.walkthrough, WalkthroughFileSchema);
  const followups = read(FILES.followups, FollowupsFileSchema);
  if (
    !faqFile ||
    !sourcesFile ||
    !clinic ||
    !redFlags ||
    !scope ||
    !menu ||
    !synonyms ||
    !screening ||
    !aftercare ||
    !flows ||
    !walkthrough ||
    !followups
  ) {
    return { problems, locate };
  }

  if (clinic.brand.logo !== undefined && options.assetExists && !options.assetExists(clinic.brand.logo)) {
    at(
      FILES.clinic,
      ['brand', 'logo'],
      `the logo file "${clinic.brand.logo}" is not in the content folder`,
      'put the image file there, or remove the logo line',
    );
  }
  const sources = new Map(sourcesFile.sources.map((s) => [s.id, s]));
  const sourceFix = `add it to ${FILES.sources} first, or use one of: ${[...sources.keys()].join(', ')}`;
  const faqById = new Map<string, FaqEntry>();
  const phrasingOwner = new Map<string, string>();
  faqFile.entries.forEach((entry, i) => {
    if (faqById.has(entry.id))
      at(FILES.faq, ['entries', i, 'id'], `the id "${entry.id}" is used twice`, 'give each entry its own id');
    faqById.set(entry.id, entry);
    entry.sources.forEach((s, k) => {
      if (!sources.has(s))
        at(FILES.faq, ['entries', i, 'sources', k], `source "${s}" is not listed in ${FILES.sources}`, sourceFix);
    });
    for (const lang of ['en', 'es'] as const) {
      entry[lang].questions.forEach((q, k) => {
        const key = `${lang}:${normalizeText(q)}`;
        const owner = phrasingOwner.get(key);
        if (owner !== undefined && owner !== entry.id) {
          at(
            FILES.faq,
            ['entries', i, lang, 'questions', k],
            `the phrasing "${q}" is also in entry "${owner}"`,
            'keep it in the one entry that answers it, and delete the other',
          );
        }
        phrasingOwner.set(key, entry.id);
      });
    }
  });
  // An aftercare symptom or a not-covered topic may name the FAQ entry that says more about it.
  const entryRefs: [string, string, readonly { entry?: string }[]][] = [
    [FILES.aftercare, 'symptoms', aftercare.symptoms],
    [FILES.scope, 'notCovered', scope.notCovered],
  ];
  for (const [file, list, items] of entryRefs) {
    items.forEach(({ entry }, i) => {
      if (entry !== undefined && !faqById.has(entry))
        at(
          file,
          [list, i, 'entry'],
          `entry "${entry}" does not exist`,
          'use the id of an existing FAQ entry, or remove the entry line',
        );
    });
  }
  faqFile.entries.forEach((entry, i) => {
    entry.related.forEach((r, k) => {
      if (!faqById.has(r))
        at(
          FILES.faq,
          ['entries', i, 'related', k],
          `related entry "${r}" does not exist`,
          'use the id of an existing entry, or remove it from related',
        );
      if (r === entry.id)
        at(FILES.faq, ['entries', i, 'related', k], 'an entry cannot be related to itself', 'remove it from related');
    });
  });
  menu.welcome.forEach((m, k) => {
    if (!m.startsWith('flow:') && !faqById.has(m))
      at(FILES.menu, ['welcome', k], `entry "${m}" does not exist in ${FILES.faq}`, 'use the id of an existing entry');
  });
  const cited = (file: string, where: Path, ids: readonly string[]): void => {
    ids.forEach((s, k) => {
      if (!sources.has(s)) at(file, [...where, k], `source "${s}" is not listed in ${FILES.sources}`, sourceFix);
    });
  };
  screening.questions.forEach((q, i) => cited(FILES.screening, ['questions', i, 'basis', 'sources'], q.basis.sources));
  aftercare.phases.forEach((p, i) => cited(FILES.aftercare, ['phases', i, 'sources'], p.sources));
  aftercare.symptoms.forEach((sy, i) => cited(FILES.aftercare, ['symptoms', i, 'sources'], sy.sources));
  const ordered = aftercare.phases.map((p, i) => ({ p, i })).sort((a, b) => a.p.fromDay - b.p.fromDay);
  ordered.forEach(({ p, i }, n) => {
    if (p.toDay < p.fromDay)
      at(
        FILES.aftercare,
        ['phases', i, 'toDay'],
        'toDay is before fromDay',
        'a phase ends on or after the day it starts',
      );
    const expectedFrom = n === 0 ? 0 : ordered[n - 1].p.toDay + 1;
    if (p.fromDay !== expectedFrom) {
      at(
        FILES.aftercare,
        ['phases', i, 'fromDay'],
        'phases must follow each other without gaps or overlaps',
        `start this phase on day ${expectedFrom}`,
      );
    }
  });
  walkthrough.stages.forEach((stage, i) => {
    stage.steps.forEach((step, k) => {
      if (!faqById.has(step))
        at(
          FILES.walkthrough,
          ['stages', i, 'steps', k],
          `step "${step}" is not an entry in ${FILES.faq}`,
          'use the id of an existing FAQ entry',
        );
    });
  });
  for (const f of FLOWS) {
    if (!flows.flows.some((x) => x.id === f))
      at(FILES.flows, ['flows'], `the "${f}" conversation has no phrasings`, `add a flow with id: ${f}`);
  }
  // "how do I book?" is an FAQ question, "I want to book" starts the booking: one phrasing, one owner.
  flows.flows.forEach((flow, i) => {
    for (const lang of ['en', 'es'] as const) {
      flow[lang].questions.forEach((q, k) => {
        const owner = phrasingOwner.get(`${lang}:${normalizeText(q)}`);
        if (owner !== undefined) {
          at(
            FILES.flows,
            ['flows', i, lang, 'questions', k],
            `the phrasing "${q}" is also in entry "${owner}" of ${FILES.faq}`,
            'keep it in one place: here if it asks to start the conversation, in the entry if it asks for information',
          );
        }
      });
    }
  });
  for (const lang of ['en', 'es'] as const) {
    const groupOf = new Map<string, string>();
    synonyms[lang].forEach((group, i) => {
      group.forEach((word, k) => {
        const key = normalizeText(word);
        const other = groupOf.get(key);
        if (other !== undefined && other !== group[0]) {
          at(
            FILES.synonyms,
            [lang, i, k],
            `"${word}" is in two groups ("${other}" and "${group[0]}")`,
            'keep each word in one group only',
          );
        }
        groupOf.set(key, group[0]);
      });
    });
  }
  const flagIds = new Set<string>();
  redFlags.flags.forEach((flag, i) => {
    if (flagIds.has(flag.id))
      at(FILES.redFlags, ['flags', i, 'id'], `the id "${flag.id}" is used twice`, 'give each warning sign its own id');
    flagIds.add(flag.id);
  });
  checkFollowups(followups, at);
  if (problems.length > 0) return { problems, locate };

  return {
    problems,
    locate,
    content: {
      version: contentHash(files),
      faq: faqFile.entries,
      faqById,
      sources,
      clinic,
      redFlags,
      scope,
      menu,
      synonyms,
      screening,
      aftercare,
      flows,
      walkthrough,
      followups,
    },
  };
}

/** Check-ins: one per day, each id once, and only the clinic placeholders (filled in when sent). */
function checkFollowups(
  followups: FollowupsFile,
  at: (file: string, where: Path, message: string, fix?: string) => void,
): void {
  const file = FILES.followups;
  const ids = new Set<string>();
  const days = new Set<number>();
  followups.checkIns.forEach((c, i) => {
    if (ids.has(c.id))
      at(file, ['checkIns', i, 'id'], `the id "${c.id}" is used twice`, 'give each check-in its own id');
    if (days.has(c.day))
      at(file, ['checkIns', i, 'day'], `two check-ins on day ${c.day}`, 'a patient gets at most one check-in a day');
    ids.add(c.id);
    days.add(c.day);
  });
  const known = new Set<string>(CLINIC_PLACEHOLDERS);
  const texts: [Path, string][] = [];
  const bilingualAt = (where: Path, b: { en: string; es: string }): void => {
    texts.push([[...where, 'en'], b.en], [[...where, 'es'], b.es]);
  };
  for (const key of ['question', 'confirmed', 'declined'] as const)
    bilingualAt(['consent', key], followups.consent[key]);
  bilingualAt(['optOut', 'confirmed'], followups.optOut.confirmed);
  followups.checkIns.forEach((c, i) =>
    texts.push([['checkIns', i, 'en', 'text'], c.en.text], [['checkIns', i, 'es', 'text'], c.es.text]),
  );
  for (const [where, text] of texts) {
    for (const m of text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      if (!known.has(m[1]))
        at(
          file,
          where,
          `unknown placeholder {{${m[1]}}}`,
          `use one of ${CLINIC_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
        );
    }
  }
}

/** The content version: a short hash of every content file, in the order the loader reads them. */
export function contentHash(files: ContentFiles): string {
  const hash = createHash('sha256');
  for (const name of CONTENT_FILE_NAMES) {
    const text = files[name];
    if (text !== undefined) hash.update(name).update(text);
  }
  return hash.digest('hex').slice(0, 12);
}

function isKey(k: PropertyKey): k is string | number {
  return typeof k === 'string' || typeof k === 'number';
}

/** The line of the deepest node of `where` that exists (a missing field is reported at its parent). */
function lineOf(file: ParsedFile, where: Path): number | undefined {
  for (let n = where.length; n >= 0; n--) {
    const node: unknown = n === 0 ? file.doc.contents : file.doc.getIn(where.slice(0, n), true);
    if (isNode(node) && node.range) return file.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** A fix in plain words for the schema's most common complaints. */
function hintFor(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return `add the missing "${String(issue.path[issue.path.length - 1])}" field`;
  if (issue.code === 'invalid_type' && issue.expected === 'string')
    return 'write it as text; put it in "quotes" if it contains ": " or starts with a symbol';
  if (issue.code === 'too_small') return 'add more, or fill it in';
  if (issue.code === 'too_big') return 'shorten it';
  return undefined;
}

/** Turns a zod issue path into words staff can find in the file: `entry "pain" → en → title`. */
function describePath(data: unknown, issuePath: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = data;
  for (const key of issuePath) {
    const child: unknown =
      isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const childId = isRecord(child) && typeof child.id === 'string' ? child.id : undefined;
      parts.push(childId ? `"${childId}"` : `item ${key + 1}`);
    } else {
      parts.push(String(key));
    }
    node = child;
  }
  return parts.join(' → ') || 'top level';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

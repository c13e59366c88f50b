import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
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
} from './schemas';

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
}

export interface ContentProblem {
  file: string;
  where?: string;
  message: string;
}

export class ContentError extends Error {
  override readonly name = 'ContentError';
  constructor(readonly problems: ContentProblem[]) {
    super(`Content has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}

export function formatProblem(p: ContentProblem): string {
  return `  - ${p.file}${p.where ? ` (${p.where})` : ''}: ${p.message}`;
}

const FILES = {
  faq: 'faq.yaml',
  sources: 'sources.yaml',
  clinic: 'clinic.yaml',
  redFlags: 'redflags.yaml',
  scope: 'scope.yaml',
  menu: 'menu.yaml',
  synonyms: 'synonyms.yaml',
  screening: 'screening.yaml',
  aftercare: 'aftercare.yaml',
  flows: 'flows.yaml',
  walkthrough: 'walkthrough.yaml',
} as const;

/** Reads, validates and cross-checks the content directory; throws ContentError listing every problem. */
export function loadContent(dir: string): ContentSet {
  const problems: ContentProblem[] = [];
  const hash = createHash('sha256');
  const read = <S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined => {
    let raw: string;
    try {
      raw = fs.readFileSync(path.join(dir, file), 'utf8');
    } catch {
      problems.push({ file, message: 'file is missing' });
      return undefined;
    }
    hash.update(file).update(raw);
    let data: unknown;
    try {
      data = parse(raw);
    } catch (err) {
      problems.push({ file, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
      return undefined;
    }
    const result = schema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({ file, where: describePath(data, issue.path), message: issue.message });
      }
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
  if (!faqFile || !sourcesFile || !clinic || !redFlags || !scope || !menu || !synonyms || !screening || !aftercare || !flows || !walkthrough) {
    throw new ContentError(problems);
  }

  const sources = new Map(sourcesFile.sources.map((s) => [s.id, s]));
  const faqById = new Map<string, FaqEntry>();
  const phrasingOwner = new Map<string, string>();
  for (const entry of faqFile.entries) {
    const where = `entry "${entry.id}"`;
    if (faqById.has(entry.id)) problems.push({ file: FILES.faq, where, message: 'this id is used twice; ids must be unique' });
    faqById.set(entry.id, entry);
    for (const s of entry.sources) {
      if (!sources.has(s)) problems.push({ file: FILES.faq, where, message: `source "${s}" is not listed in ${FILES.sources}` });
    }
    for (const lang of ['en', 'es'] as const) {
      for (const q of entry[lang].questions) {
        const key = `${lang}:${normalizeText(q)}`;
        const owner = phrasingOwner.get(key);
        if (owner !== undefined && owner !== entry.id) {
          problems.push({ file: FILES.faq, where, message: `phrasing "${q}" is also in entry "${owner}"; keep it in one entry only` });
        }
        phrasingOwner.set(key, entry.id);
      }
    }
  }
  for (const entry of faqFile.entries) {
    for (const r of entry.related) {
      if (!faqById.has(r)) problems.push({ file: FILES.faq, where: `entry "${entry.id}"`, message: `related entry "${r}" does not exist` });
      if (r === entry.id) problems.push({ file: FILES.faq, where: `entry "${entry.id}"`, message: 'an entry cannot be related to itself' });
    }
  }
  for (const m of menu.welcome) {
    if (!m.startsWith('flow:') && !faqById.has(m)) problems.push({ file: FILES.menu, where: 'welcome', message: `entry "${m}" does not exist in ${FILES.faq}` });
  }
  const cited = (file: string, where: string, ids: readonly string[]): void => {
    for (const s of ids) if (!sources.has(s)) problems.push({ file, where, message: `source "${s}" is not listed in ${FILES.sources}` });
  };
  for (const q of screening.questions) cited(FILES.screening, `question "${q.id}"`, q.basis.sources);
  for (const p of aftercare.phases) cited(FILES.aftercare, `phase "${p.id}"`, p.sources);
  for (const sy of aftercare.symptoms) cited(FILES.aftercare, `symptom "${sy.id}"`, sy.sources);
  const ordered = [...aftercare.phases].sort((a, b) => a.fromDay - b.fromDay);
  ordered.forEach((p, i) => {
    if (p.toDay < p.fromDay) problems.push({ file: FILES.aftercare, where: `phase "${p.id}"`, message: 'toDay is before fromDay' });
    const expectedFrom = i === 0 ? 0 : ordered[i - 1].toDay + 1;
    if (p.fromDay !== expectedFrom) {
      problems.push({ file: FILES.aftercare, where: `phase "${p.id}"`, message: `phases must follow each other without gaps or overlaps: expected fromDay ${expectedFrom}` });
    }
  });
  for (const stage of walkthrough.stages) {
    for (const step of stage.steps) {
      if (!faqById.has(step)) problems.push({ file: FILES.walkthrough, where: `stage "${stage.id}"`, message: `step "${step}" is not an entry in ${FILES.faq}` });
    }
  }
  for (const f of FLOWS) {
    if (!flows.flows.some((x) => x.id === f)) problems.push({ file: FILES.flows, message: `the "${f}" conversation has no phrasings` });
  }
  for (const lang of ['en', 'es'] as const) {
    const groupOf = new Map<string, string>();
    for (const group of synonyms[lang]) {
      for (const word of group) {
        const key = normalizeText(word);
        const other = groupOf.get(key);
        if (other !== undefined && other !== group[0]) {
          problems.push({ file: FILES.synonyms, where: lang, message: `"${word}" is in two groups ("${other}" and "${group[0]}"); keep it in one` });
        }
        groupOf.set(key, group[0]);
      }
    }
  }
  const flagIds = new Set<string>();
  for (const flag of redFlags.flags) {
    if (flagIds.has(flag.id)) problems.push({ file: FILES.redFlags, where: `flag "${flag.id}"`, message: 'this id is used twice' });
    flagIds.add(flag.id);
  }
  if (problems.length > 0) throw new ContentError(problems);

  return {
    version: hash.digest('hex').slice(0, 12),
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
  };
}

/** Turns a zod issue path into words staff can find in the file: `entry "pain" → en → title`. */
function describePath(data: unknown, issuePath: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = data;
  for (const key of issuePath) {
    const child: unknown = isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined;
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

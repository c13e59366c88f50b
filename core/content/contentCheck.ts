import * as fs from 'node:fs';
import * as path from 'node:path';
import { FaqMatcher, FLOW_LABEL_PREFIX } from '../matching/faqMatcher';
import { finish, Steps } from '../matching/steps';
import { LANGS } from '../text/language';
import { ContentFiles, readContentDir } from './contentFiles';
import { ContentProblem, inspectContentFiles, InspectOptions } from './contentLoader';
import { CLINIC_PLACEHOLDERS } from './templates';

export interface ContentCheckOptions extends InspectOptions {
  /** Entries reviewed longer ago than this get a warning. */
  maxReviewAgeDays: number;
  now: Date;
}

export interface ContentCheckReport {
  errors: ContentProblem[];
  warnings: ContentProblem[];
  /** What was checked, for the summary line. */
  counts?: { entries: number; phrasings: number; sources: number; version: string };
}

/** Clinic details, and the warning signs a red-flag guidance names. */
const KNOWN_PLACEHOLDERS = new Set<string>([...CLINIC_PLACEHOLDERS, 'signs']);
const DAY_MS = 86_400_000;

/** `npm run content:check` on a content folder: its files as they are, and its logo file. */
export function checkContent(dir: string, options: ContentCheckOptions): ContentCheckReport {
  return checkContentFiles(readContentDir(dir), {
    ...options,
    assetExists: options.assetExists ?? ((name) => fs.existsSync(path.join(dir, name))),
  });
}

/**
 * Everything `npm run content:check` checks: the loader's schema and cross-references, then what
 * only the whole set shows: phrasings the matcher sends elsewhere, unknown placeholders, reviews
 * that are too old, sample clinic details.
 */
export function checkContentFiles(files: ContentFiles, options: ContentCheckOptions): ContentCheckReport {
  return finish(checkingContentFiles(files, options));
}

/** `checkContentFiles` as steps: training the matcher takes seconds, so a server runs it in slices. */
export function* checkingContentFiles(files: ContentFiles, options: ContentCheckOptions): Steps<ContentCheckReport> {
  const { content, problems, locate } = inspectContentFiles(files, options);
  if (!content) return { errors: problems, warnings: [] };
  const errors: ContentProblem[] = [];
  const warnings: ContentProblem[] = [];

  const matcher = yield* FaqMatcher.training(content);
  for (const [i, entry] of content.faq.entries()) {
    yield;
    for (const lang of LANGS) {
      entry[lang].questions.forEach((q, k) => {
        const d = matcher.match(q, lang);
        const place = { file: 'faq.yaml', ...locate('faq.yaml', ['entries', i, lang, 'questions', k]) };
        if (d.kind === 'answer' && d.id !== entry.id) {
          const other = d.id.startsWith(FLOW_LABEL_PREFIX)
            ? `the "${d.id.slice(FLOW_LABEL_PREFIX.length)}" conversation`
            : `entry "${d.id}"`;
          errors.push({
            ...place,
            message: `the bot answers the phrasing "${q}" with ${other}, not "${entry.id}"`,
            fix: `reword it so it clearly belongs here, move it to ${other}, or delete it`,
          });
        } else if (d.kind !== 'answer') {
          const wouldDo = d.kind === 'clarify' ? 'ask "did you mean"' : 'say it has no answer';
          warnings.push({
            ...place,
            message: `the phrasing "${q}" is not answered with confidence (the bot would ${wouldDo})`,
            fix: 'add a few more phrasings like it to this entry',
          });
        }
      });
      for (const [field, text] of [['answer', entry[lang].answer]] as const) {
        for (const m of text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
          if (!KNOWN_PLACEHOLDERS.has(m[1])) {
            errors.push({
              file: 'faq.yaml',
              ...locate('faq.yaml', ['entries', i, lang, field]),
              message: `unknown placeholder {{${m[1]}}}`,
              fix: `use one of ${[...KNOWN_PLACEHOLDERS]
                .filter((p) => p !== 'signs')
                .map((p) => `{{${p}}}`)
                .join(', ')}`,
            });
          }
        }
      }
    }
    const age = Math.floor((options.now.getTime() - Date.parse(`${entry.reviewed}T00:00:00Z`)) / DAY_MS);
    if (age > options.maxReviewAgeDays) {
      warnings.push({
        file: 'faq.yaml',
        ...locate('faq.yaml', ['entries', i, 'reviewed']),
        message: `last reviewed ${age} days ago (${entry.reviewed})`,
        fix: 'have the answer reviewed and update the reviewed: date',
      });
    }
    if (age < 0)
      errors.push({
        file: 'faq.yaml',
        ...locate('faq.yaml', ['entries', i, 'reviewed']),
        message: `the review date ${entry.reviewed} is in the future`,
        fix: 'write the date the entry was actually reviewed',
      });
  }
  content.flows.flows.forEach((flow, i) => {
    for (const lang of LANGS) {
      flow[lang].questions.forEach((q, k) => {
        const d = matcher.match(q, lang);
        if (!(d.kind === 'answer' && d.id === `${FLOW_LABEL_PREFIX}${flow.id}`)) {
          warnings.push({
            file: 'flows.yaml',
            ...locate('flows.yaml', ['flows', i, lang, 'questions', k]),
            message: `"${q}" does not start the ${flow.id} conversation`,
            fix: 'reword it, or add more phrasings like it',
          });
        }
      });
    }
  });
  if (content.clinic.sample) {
    warnings.push({
      file: 'clinic.yaml',
      ...locate('clinic.yaml', ['sample']),
      message: 'the clinic details are still the sample values',
      fix:
        'enter the real name, phone, email, booking link, hours, address and emergency number, ' +
        'then set sample: false',
    });
  }
  const phrasings = content.faq.reduce((n, e) => n + e.en.questions.length + e.es.questions.length, 0);
  return {
    errors,
    warnings,
    counts: { entries: content.faq.length, phrasings, sources: content.sources.size, version: content.version },
  };
}

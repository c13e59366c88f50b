import { FaqMatcher, FLOW_LABEL_PREFIX } from '../matching/faqMatcher';
import { LANGS } from '../text/language';
import { ContentProblem, inspectContent } from './contentLoader';
import { CLINIC_PLACEHOLDERS } from './templates';

export interface ContentCheckOptions {
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

/**
 * Everything `npm run content:check` checks: the loader's schema and cross-references, then what
 * only the whole set shows: phrasings the matcher sends elsewhere, unknown placeholders, reviews
 * that are too old, sample clinic details.
 */
export function checkContent(dir: string, options: ContentCheckOptions): ContentCheckReport {
  const { content, problems, locate } = inspectContent(dir);
  if (!content) return { errors: problems, warnings: [] };
  const errors: ContentProblem[] = [];
  const warnings: ContentProblem[] = [];

  const matcher = new FaqMatcher(content);
  content.faq.forEach((entry, i) => {
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
  });
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

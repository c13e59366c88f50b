import * as fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { CalendarDay } from '../aftercare/treatmentDate';
import { PreviousAnswer } from '../consultation/consultationEngine';
import { decideMessage, DecisionParts, MessageDecision } from '../consultation/messageDecision';
import { Lang } from '../text/language';

/**
 * What a case expects: `|` separates acceptable replies, `+` joins entries that must all be
 * answered ("pain+downtime"). A reply is an FAQ entry id, `flow:<id>`, `day-report`,
 * `partial:<id>` (partly covered: an honest partial answer or a refusal), `out-of-scope` or `red-flag`.
 */
const expectation = z
  .string()
  .regex(/^[a-z0-9:+|-]+$/, 'entry ids, flow:<id>, day-report, partial:<id>, out-of-scope or red-flag');

export const EvalCaseSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(['en', 'es']),
  expect: expectation,
  note: z.string().optional(),
  /** The `id` of the source the wording comes from (real-world sets). */
  source: z.string().optional(),
  /** A message sent just before in the same conversation, for follow-ups ("and how long does that last?"). */
  after: z.string().optional(),
});
export type EvalCase = z.infer<typeof EvalCaseSchema>;

export const EvalSourceSchema = z.object({
  id: z.string().min(1),
  url: z.string().url(),
  site: z.string().min(1),
  author: z.enum(['patient', 'clinic', 'publisher', 'maker']),
});
export type EvalSource = z.infer<typeof EvalSourceSchema>;

const EvalFileSchema = z
  .object({
    version: z.literal(1),
    sources: z.array(EvalSourceSchema).optional(),
    cases: z.array(EvalCaseSchema).min(1),
  })
  .superRefine((file, ctx) => {
    if (!file.sources) return;
    const ids = new Set(file.sources.map((s) => s.id));
    file.cases.forEach((c, i) => {
      if (!c.source || !ids.has(c.source))
        ctx.addIssue({ code: 'custom', path: ['cases', i, 'source'], message: `unknown source "${c.source ?? ''}"` });
    });
  });
export type EvalFile = z.infer<typeof EvalFileSchema>;

export function readEvalFile(file: string): EvalFile {
  return EvalFileSchema.parse(parse(fs.readFileSync(file, 'utf8')));
}

export function readEvalCases(file: string): EvalCase[] {
  return readEvalFile(file).cases;
}

interface Rate {
  ok: number;
  total: number;
}

export interface EvalReport {
  /** In-scope questions answered with the expected entries, flow or day report (no red flag fired). */
  inScope: Record<Lang | 'all', Rate>;
  /** In-scope questions that got a "did you mean" listing the expected entry. */
  clarifiedWithRight: Rate;
  /** Out-of-scope and partly covered questions refused, or answered saying what the content does not cover. */
  outOfScope: Record<Lang | 'all', Rate>;
  /** Red-flag messages that got urgent guidance. */
  redFlag: Record<Lang | 'all', Rate>;
  /** Non-red-flag messages on which a red flag fired. */
  falseAlarms: Rate;
  failures: { text: string; lang: Lang; expect: string; got: string }[];
}

/**
 * Entries whose question is better served by starting a guided conversation: "am I a good
 * candidate?" starts the screening, which is a right reply to a good-candidate question, and
 * "I want to book" starts the booking request.
 */
const FLOW_FOR_ENTRY: Readonly<Record<string, string>> = {
  'good-candidate': 'screening',
  'procedure-steps': 'walkthrough',
  'aftercare-overview': 'aftercare',
  'book-consultation': 'booking',
};

/**
 * Entries about how the skin is after treatment: a day-by-day aftercare report, which judges the
 * symptom against the day and gives that day's guidance, answers them too ("day 3, still red?").
 */
const DAY_REPORT_SERVES: ReadonlySet<string> = new Set([
  'redness-duration',
  'swelling',
  'peeling-dryness',
  'bleeding-bruising',
  'breakouts-after',
  'healing-timeline',
  'downtime',
  'aftercare-overview',
]);

/** "Today" for every case, so dates in messages ("3 days ago") read the same on every run. */
const EVAL_TODAY: CalendarDay = { year: 2026, month: 6, day: 15 };

const rate = (): Rate => ({ ok: 0, total: 0 });
const byLang = (): Record<Lang | 'all', Rate> => ({ en: rate(), es: rate(), all: rate() });

function count(r: Record<Lang | 'all', Rate>, lang: Lang, ok: boolean): void {
  for (const key of [lang, 'all'] as const) {
    r[key].total++;
    if (ok) r[key].ok++;
  }
}

/** The decision a patient starting a new conversation gets for this case (after its `after` message, if any). */
export function decideCase(parts: DecisionParts, c: EvalCase): MessageDecision {
  const situation = { lang: c.lang, maxMessageChars: 2000, today: EVAL_TODAY };
  let previous: PreviousAnswer | undefined;
  if (c.after) {
    const before = decideMessage({ ...situation, text: c.after }, parts);
    if (before.kind === 'answers')
      previous = { faqId: before.answers[before.answers.length - 1].entry.id, question: c.after };
  }
  return decideMessage({ ...situation, text: c.text, previous }, parts);
}

/** A short description of a decision, for failure lists. */
export function describe(d: MessageDecision): string {
  switch (d.kind) {
    case 'answers':
      return (
        d.answers.map((a) => a.entry.id).join('+') +
        (d.notCovered.length > 0 ? ` (not covered: ${d.notCovered.join(', ')})` : '')
      );
    case 'clarify':
      return `clarify(${d.options.map((o) => o.id).join(',')})`;
    case 'start-flow':
      return `flow:${d.flow}`;
    case 'command':
      return `command:${d.command}`;
    default:
      return d.kind;
  }
}

/**
 * Whether a decision refuses, answers only while saying what the content does not cover, or hands
 * the patient to a person at the clinic (no content facts given).
 */
function refusesHonestly(d: MessageDecision): boolean {
  if (d.kind === 'answers') return d.notCovered.length > 0;
  return d.kind === 'fallback' || d.kind === 'clarify' || d.kind === 'command' || d.kind === 'ask-person';
}

/** A reply a case may expect that gives no content facts as if fully covered. */
function isRefusal(expected: string): boolean {
  return expected === 'out-of-scope' || expected.startsWith('partial:');
}

function answersAll(d: MessageDecision, ids: readonly string[]): boolean {
  if (ids.length === 1 && ids[0] === 'day-report') return d.kind === 'day-report';
  if (ids.length === 1 && ids[0].startsWith('flow:')) return d.kind === 'start-flow' && `flow:${d.flow}` === ids[0];
  if (ids.length === 1 && d.kind === 'start-flow') return FLOW_FOR_ENTRY[ids[0]] === d.flow;
  if (ids.length === 1 && d.kind === 'day-report') return DAY_REPORT_SERVES.has(ids[0]);
  return d.kind === 'answers' && ids.every((id) => d.answers.some((a) => a.entry.id === id));
}

/** Runs every case through the one message decision, as a patient with that language would send it. */
export function evaluate(parts: DecisionParts, cases: readonly EvalCase[]): EvalReport {
  const report: EvalReport = {
    inScope: byLang(),
    clarifiedWithRight: rate(),
    outOfScope: byLang(),
    redFlag: byLang(),
    falseAlarms: rate(),
    failures: [],
  };
  for (const c of cases) {
    const d = decideCase(parts, c);
    const alternatives = c.expect.split('|');
    let ok: boolean;
    if (c.expect === 'red-flag') {
      ok = d.kind === 'red-flag';
      count(report.redFlag, c.lang, ok);
    } else {
      report.falseAlarms.total++;
      if (d.kind === 'red-flag') report.falseAlarms.ok++;
      if (alternatives.every(isRefusal)) {
        ok = refusesHonestly(d);
        count(report.outOfScope, c.lang, ok);
      } else {
        // A label that also allows a refusal ("choosing-practitioner|out-of-scope") takes one as right.
        ok = alternatives.some((a) => (isRefusal(a) ? refusesHonestly(d) : answersAll(d, a.split('+'))));
        count(report.inScope, c.lang, ok);
        if (d.kind === 'clarify') {
          report.clarifiedWithRight.total++;
          if (d.options.some((o) => alternatives.includes(o.id))) report.clarifiedWithRight.ok++;
        }
      }
    }
    if (!ok) report.failures.push({ text: c.text, lang: c.lang, expect: c.expect, got: describe(d) });
  }
  return report;
}

export function percent(r: Rate): string {
  return r.total === 0 ? 'n/a' : `${((100 * r.ok) / r.total).toFixed(1)} % (${r.ok}/${r.total})`;
}

import * as fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConsultationEngine } from '../consultation/consultationEngine';
import { Lang } from '../text/language';

export const EvalCaseSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(['en', 'es']),
  expect: z.string().min(1),
  note: z.string().optional(),
});
export type EvalCase = z.infer<typeof EvalCaseSchema>;
const EvalFileSchema = z.object({ version: z.literal(1), cases: z.array(EvalCaseSchema).min(1) });

export function readEvalCases(file: string): EvalCase[] {
  return EvalFileSchema.parse(parse(fs.readFileSync(file, 'utf8'))).cases;
}

interface Rate {
  ok: number;
  total: number;
}

export interface EvalReport {
  /** In-scope questions answered with the expected entry (no red flag fired). */
  inScope: Record<Lang | 'all', Rate>;
  /** In-scope questions that got a "did you mean" listing the expected entry. */
  clarifiedWithRight: Rate;
  /** Out-of-scope questions that got no content answer (fallback or clarify). */
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

const rate = (): Rate => ({ ok: 0, total: 0 });
const byLang = (): Record<Lang | 'all', Rate> => ({ en: rate(), es: rate(), all: rate() });

function count(r: Record<Lang | 'all', Rate>, lang: Lang, ok: boolean): void {
  for (const key of [lang, 'all'] as const) {
    r[key].total++;
    if (ok) r[key].ok++;
  }
}

/** Runs every case through the engine as a patient with that language would send it. */
export function evaluate(engine: ConsultationEngine, cases: readonly EvalCase[]): EvalReport {
  const report: EvalReport = {
    inScope: byLang(),
    clarifiedWithRight: rate(),
    outOfScope: byLang(),
    redFlag: byLang(),
    falseAlarms: rate(),
    failures: [],
  };
  for (const c of cases) {
    const reply = engine.respond(c.text, c.lang);
    const got =
      reply.kind === 'answer'
        ? reply.entry.id
        : reply.kind === 'clarify'
          ? `clarify(${reply.options.map((o) => o.id).join(',')})`
          : reply.kind === 'flow'
            ? `flow:${reply.flow}`
            : reply.kind;
    let ok: boolean;
    if (c.expect === 'red-flag') {
      ok = reply.kind === 'red-flag';
      count(report.redFlag, c.lang, ok);
    } else {
      report.falseAlarms.total++;
      if (reply.kind === 'red-flag') report.falseAlarms.ok++;
      if (c.expect === 'out-of-scope') {
        ok = reply.kind === 'fallback' || reply.kind === 'clarify';
        // Starting a guided conversation is not a content answer, but it is not a refusal either.
        count(report.outOfScope, c.lang, ok);
      } else {
        ok = (reply.kind === 'answer' && reply.entry.id === c.expect) || (reply.kind === 'flow' && FLOW_FOR_ENTRY[c.expect] === reply.flow);
        count(report.inScope, c.lang, ok);
        if (reply.kind === 'clarify') {
          report.clarifiedWithRight.total++;
          if (reply.options.some((o) => o.id === c.expect)) report.clarifiedWithRight.ok++;
        }
      }
    }
    if (!ok) report.failures.push({ text: c.text, lang: c.lang, expect: c.expect, got });
  }
  return report;
}

export function percent(r: Rate): string {
  return r.total === 0 ? 'n/a' : `${((100 * r.ok) / r.total).toFixed(1)} % (${r.ok}/${r.total})`;
}

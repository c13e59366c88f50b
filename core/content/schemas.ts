import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case words joined by hyphens, e.g. "redness-duration"');
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write the date as YYYY-MM-DD'));
const text = z.string().trim().min(1, 'must not be empty');
const bilingual = z.object({ en: text, es: text });

export const FAQ_TOPICS = [
  'about', 'benefits', 'candidacy', 'preparation', 'procedure', 'recovery', 'aftercare', 'results', 'sessions', 'safety', 'clinic',
] as const;

const FaqLanguageBlock = z.object({
  title: text.max(40, 'button titles must be at most 40 characters'),
  questions: z.array(text).min(3, 'give at least 3 phrasings'),
  answer: text.max(900, 'answers must stay short (at most 900 characters)'),
});

export const FaqEntrySchema = z.object({
  id,
  topic: z.enum(FAQ_TOPICS),
  sources: z.array(id).min(1, 'every answer must name at least one source'),
  reviewed: isoDate,
  related: z.array(id).default([]),
  en: FaqLanguageBlock,
  es: FaqLanguageBlock,
});
export type FaqEntry = z.infer<typeof FaqEntrySchema>;

export const FaqFileSchema = z.object({ version: z.literal(1), entries: z.array(FaqEntrySchema).min(1) });

export const SourceSchema = z.object({
  id,
  file: z.string().optional(),
  name: text,
  kind: z.enum(['article', 'clinic']),
  abstract: bilingual,
});
export type Source = z.infer<typeof SourceSchema>;
export const SourcesFileSchema = z.object({ version: z.literal(1), sources: z.array(SourceSchema).min(1) });

export const ClinicSchema = z.object({
  version: z.literal(1),
  sample: z.boolean(),
  name: text,
  phone: text,
  email: z.string().email(),
  bookingUrl: z.string().url(),
  website: z.string().url().optional(),
  hours: bilingual,
  address: text,
  emergencyNumber: text,
  timeZone: text,
});
export type Clinic = z.infer<typeof ClinicSchema>;

const RedFlagLanguage = z.object({
  label: text,
  patterns: z.array(text).min(1),
  /** Word groups that fire together: one word of each group in the same sentence, in any order. */
  combos: z.array(z.array(z.array(text).min(1)).min(2)).default([]),
});
export const RedFlagSchema = z.object({
  id,
  level: z.enum(['emergency', 'urgent']),
  en: RedFlagLanguage,
  es: RedFlagLanguage,
});
export type RedFlag = z.infer<typeof RedFlagSchema>;

export const RedFlagsFileSchema = z.object({
  version: z.literal(1),
  negations: z.object({ en: z.array(text), es: z.array(text) }),
  clauseBreaks: z.object({ en: z.array(text), es: z.array(text) }),
  /** What-if openings ("will it be…") that keep a combination from firing on a question about the procedure. */
  hypotheticals: z.object({ en: z.array(text), es: z.array(text) }),
  guidance: z.object({ emergency: bilingual, urgent: bilingual }),
  flags: z.array(RedFlagSchema).min(1),
});
export type RedFlagsFile = z.infer<typeof RedFlagsFileSchema>;

export const ScopeFileSchema = z.object({
  version: z.literal(1),
  outOfScope: z.array(
    z.object({ category: id, en: z.array(text).min(1), es: z.array(text).min(1) }),
  ),
});
export type ScopeFile = z.infer<typeof ScopeFileSchema>;

export const MenuFileSchema = z.object({
  version: z.literal(1),
  welcome: z.array(id).min(1).max(8, 'offer at most 8 topics; more buttons overwhelm patients'),
});
export type MenuFile = z.infer<typeof MenuFileSchema>;

const synonymGroup = z.array(text).min(2, 'a group needs at least two words').refine((g) => g.every((w) => !/\s/.test(w.trim())), {
  message: 'synonyms are single words; write phrases as FAQ phrasings instead',
});
export const SynonymsFileSchema = z.object({ version: z.literal(1), en: z.array(synonymGroup), es: z.array(synonymGroup) });
export type SynonymsFile = z.infer<typeof SynonymsFileSchema>;

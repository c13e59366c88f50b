import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lower-case words joined by hyphens, e.g. "redness-duration"');
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write the date as YYYY-MM-DD'));
const text = z.string().trim().min(1, 'must not be empty');
const bilingual = z.object({ en: text, es: text });

export const FAQ_TOPICS = [
  'about',
  'benefits',
  'candidacy',
  'preparation',
  'procedure',
  'recovery',
  'aftercare',
  'results',
  'sessions',
  'safety',
  'clinic',
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
  /**
   * Who should wait or not have it (pregnancy, active acne): a message that also names this entry's
   * subject ("can I treat my acne scars while pregnant?") gets this answer first, beside the benefit's.
   */
  caution: z.boolean().optional(),
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

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'write a colour as #RRGGBB, for example "#0f766e"');

/** WCAG contrast ratio of two #RRGGBB colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** How the chat page looks: the clinic's colour, the text colour on it, and a logo file in content/. */
export const BrandSchema = z
  .object({
    primaryColor: hexColor.default('#0f766e'),
    onPrimaryColor: hexColor.default('#ffffff'),
    logo: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.(svg|png|jpg|jpeg|webp)$/,
        'name an .svg, .png, .jpg or .webp file inside content/, for example brand/logo.svg',
      )
      .optional(),
  })
  .refine((b) => contrastRatio(b.primaryColor, b.onPrimaryColor) >= 4.5, {
    message:
      'primaryColor and onPrimaryColor are too close for patients to read (WCAG asks for a contrast of at least 4.5:1)',
    path: ['onPrimaryColor'],
  });
export type Brand = z.infer<typeof BrandSchema>;

/** Weekdays of the clinic's structured opening hours, as written in clinic.yaml. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "09:00-18:00" on the clinic's wall clock (24-hour; a range may end at 24:00). */
const openingRange = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/,
    'write opening hours as HH:MM-HH:MM (24-hour), for example "09:00-18:00"',
  )
  .refine((r) => r.slice(0, 5) < r.slice(6), 'an opening range must end after it starts');

/** One day's opening ranges: in order, none overlapping; an empty list means closed. */
const openingDay = z
  .array(openingRange)
  .default([])
  .refine((ranges) => ranges.every((r, i) => i === 0 || ranges[i - 1].slice(6) <= r.slice(0, 5)), {
    message: "list a day's opening ranges in order, without overlaps",
  });

/** When someone at the clinic can answer: the same times as the `hours` text, in a form the bot reads. */
export const OpeningHoursSchema = z.object({
  monday: openingDay,
  tuesday: openingDay,
  wednesday: openingDay,
  thursday: openingDay,
  friday: openingDay,
  saturday: openingDay,
  sunday: openingDay,
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

/** The sample clinic's hours: Monday to Friday 9:00–18:00, Saturday 10:00–14:00. */
export const DEFAULT_OPENING_HOURS: OpeningHours = {
  monday: ['09:00-18:00'],
  tuesday: ['09:00-18:00'],
  wednesday: ['09:00-18:00'],
  thursday: ['09:00-18:00'],
  friday: ['09:00-18:00'],
  saturday: ['10:00-14:00'],
  sunday: [],
};

/** Talking to a person: how long a patient waits in the queue, and the replies staff can pick from. */
export const HandoffSettingsSchema = z.object({
  /** A patient still waiting this long is told nobody is free and offered a callback. */
  queueTimeoutMinutes: z.number().int().min(1).max(120).default(10),
  /** Ready-made replies for staff in the console, in both languages. */
  cannedReplies: z
    .array(z.object({ en: text.max(500), es: text.max(500) }))
    .max(30)
    .default([]),
});
export type HandoffSettings = z.infer<typeof HandoffSettingsSchema>;

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
  /** ISO 3166 country code: phone numbers typed without a +country prefix are read as this country's. */
  country: z.string().regex(/^[A-Z]{2}$/, 'use a two-letter country code such as US or ES'),
  brand: BrandSchema.default({ primaryColor: '#0f766e', onPrimaryColor: '#ffffff' }),
  /** Structured opening hours in `timeZone` (keep them the same as the `hours` text). */
  openingHours: OpeningHoursSchema.default(DEFAULT_OPENING_HOURS),
  handoff: HandoffSettingsSchema.default({ queueTimeoutMinutes: 10, cannedReplies: [] }),
});
export type Clinic = z.infer<typeof ClinicSchema>;

const RedFlagLanguage = z.object({
  label: text,
  patterns: z.array(text).min(1),
  /** Word groups that fire together: one word of each group in the same sentence, in any order. */
  combos: z.array(z.array(z.array(text).min(1)).min(2)).default([]),
  /**
   * Word groups that fire together anywhere in one sentence that tells what happened: not a
   * question, and not a general statement (`hedges`: "may", "in rare cases", "suele").
   */
  accounts: z.array(z.array(z.array(text).min(1)).min(2)).default([]),
  /** Words that keep this sign quiet in their message: the old condition a patient wants treated ("acne"). */
  unless: z.array(text).default([]),
});
export const RedFlagSchema = z.object({
  id,
  level: z.enum(['emergency', 'urgent']),
  /** A catch-all sign ("skin that is not healing as expected"): not named when a more specific one fires too. */
  generic: z.boolean().default(false),
  en: RedFlagLanguage,
  es: RedFlagLanguage,
});
export type RedFlag = z.infer<typeof RedFlagSchema>;

/** Real messages staff sorted: a warning sign told in the patient's or a reporter's words, or not. */
const AccountExamplesSchema = z.object({
  warning: z.array(text).default([]),
  calm: z.array(text).default([]),
});

/** Words or phrases per language, as `redflags.yaml` lists its negations, hedges and the like. */
const wordLists = z.object({ en: z.array(text), es: z.array(text) });
/** The same, for a list a file may leave out. */
const optionalWordLists = wordLists.default(() => ({ en: [], es: [] }));

export const RedFlagsFileSchema = z.object({
  version: z.literal(1),
  negations: wordLists,
  clauseBreaks: wordLists,
  /** What-if openings ("will it be…") that keep a combination from firing on a question about the procedure. */
  hypotheticals: wordLists,
  /** Words that make a sentence a general statement, not an account ("can", "rare", "suele"): accounts stay quiet. */
  hedges: optionalWordLists,
  /**
   * Words of general information ("may", "if", "suele"): a sentence with one and nobody in particular
   * in it (`personal`: "my", "she", "tengo") fires no urgent sign.
   */
  general: optionalWordLists,
  /** Words that make a sentence about something read or heard of ("I read that…"): it fires no urgent sign. */
  hearsay: optionalWordLists,
  /** Words that make a sentence about someone in particular; see `general`. */
  personal: optionalWordLists,
  /**
   * Questions tacked onto the end of an account ("my cheek is still swollen three weeks on, is that
   * normal?"): the words before them are read as an account, as if the sentence had stopped there.
   */
  askingTails: optionalWordLists,
  /**
   * Openings of a question about what the treatment may do ("do you get blisters?", "¿da fiebre?"). A
   * question opening so, with nobody in particular after the opening (`personal`) and nothing happening
   * now (`ongoing`: "still", "desde ayer"), fires no urgent sign: it asks about a risk, it tells no harm.
   */
  askingOpeners: optionalWordLists,
  /** Words that make a question about something happening now; see `askingOpeners`. */
  ongoing: optionalWordLists,
  /**
   * Words of a question asking whether the treatment can help with the skin the patient has ("would
   * it help", "¿me sirve el dermapen para…?"). A message with one, and no word of having had it
   * (`hadTreatment`: "after", "me hice"), fires no urgent sign: it tells of what the patient wants
   * treated, not of harm from a treatment. Emergency signs still fire.
   */
  seekingTreatment: optionalWordLists,
  /** Words that tell the treatment was already done; see `seekingTreatment`. */
  hadTreatment: optionalWordLists,
  guidance: z.object({ emergency: bilingual, urgent: bilingual }),
  flags: z.array(RedFlagSchema).min(1),
  /**
   * Real messages in each language, sorted by staff. A detector learns from them (the FAQ
   * phrasings count as calm ones too) and fires the catch-all sign (`generic`) on a message that no
   * phrase above catches but that reads like the warning ones.
   */
  examples: z
    .object({ en: AccountExamplesSchema, es: AccountExamplesSchema })
    .default({ en: { warning: [], calm: [] }, es: { warning: [], calm: [] } }),
});
export type RedFlagsFile = z.infer<typeof RedFlagsFileSchema>;

/** A topic patients ask about that the content does not cover (PRP, prices…): named honestly when it comes up. */
const NotCoveredTopicSchema = z.object({
  id,
  /**
   * The entry that covers what the content does say about it (at-home use → at-home-devices), preferred when in doubt.
   */
  entry: id.optional(),
  /**
   * For a question about a skin condition itself rather than the treatment: its terms are question
   * openings ("what causes", "qué es"), and it is named only when the answer would come from an entry
   * of this FAQ topic (`benefits`: what microneedling does for acne scars, pores…) and the message
   * does not name the treatment nor one of its `unless` words ("treat", "get rid of"). "What causes
   * enlarged pores?" is not "can microneedling help my pores?".
   */
  asks: z.enum(FAQ_TOPICS).optional(),
  /**
   * Another procedure (lasers, fillers, mole removal…): a message telling of the skin after it ("I had
   * IPL yesterday and today I'm covered in brown spots") gets no day-by-day microneedling guidance,
   * unless it names microneedling too.
   */
  procedure: z.boolean().default(false),
  en: z.object({ name: text, terms: z.array(text).min(1), unless: z.array(text).default([]) }),
  es: z.object({ name: text, terms: z.array(text).min(1), unless: z.array(text).default([]) }),
});
export type NotCoveredTopic = z.infer<typeof NotCoveredTopicSchema>;

export const ScopeFileSchema = z.object({
  version: z.literal(1),
  outOfScope: z.array(z.object({ category: id, en: z.array(text).min(1), es: z.array(text).min(1) })),
  notCovered: z.array(NotCoveredTopicSchema).default([]),
});
export type ScopeFile = z.infer<typeof ScopeFileSchema>;

export const MenuFileSchema = z.object({
  version: z.literal(1),
  /** FAQ entry ids, or a guided conversation as `flow:screening`, `flow:walkthrough`, `flow:aftercare`. */
  welcome: z
    .array(
      z
        .string()
        .regex(
          /^(flow:(screening|walkthrough|aftercare|booking)|[a-z0-9]+(-[a-z0-9]+)*)$/,
          'use an FAQ id or flow:screening / flow:walkthrough / flow:aftercare / flow:booking',
        ),
    )
    .min(1)
    .max(8, 'offer at most 8 topics; more buttons overwhelm patients'),
});
export type MenuFile = z.infer<typeof MenuFileSchema>;

const synonymGroup = z
  .array(text)
  .min(2, 'a group needs at least two words')
  .refine((g) => !/\s/.test(g[0].trim()), {
    message: 'the first word of a group is what the others are read as: make it a single word',
  })
  .refine((g) => g.every((w) => w.trim().split(/\s+/).length <= 4), {
    message: 'a synonym is a word or a short name of at most four words',
  });
export const SynonymsFileSchema = z.object({
  version: z.literal(1),
  en: z.array(synonymGroup),
  es: z.array(synonymGroup),
});
export type SynonymsFile = z.infer<typeof SynonymsFileSchema>;

/** A rule's footing: the source documents that say it, or clinic policy that staff must confirm. */
const ruleBasis = z
  .object({ sources: z.array(id).default([]), clinicPolicy: z.boolean().default(false) })
  .refine((b) => b.sources.length > 0 || b.clinicPolicy, {
    message: 'name the sources this rests on, or mark it clinicPolicy: true',
  });

export const ScreeningQuestionSchema = z.object({
  id,
  /** What a "yes" (or "not sure") means: come back later, or a clinician must review. */
  onYes: z.enum(['defer', 'review']),
  basis: ruleBasis,
  en: z.object({ question: text, why: text, reason: text, comeBack: text.optional() }),
  es: z.object({ question: text, why: text, reason: text, comeBack: text.optional() }),
});
export type ScreeningQuestion = z.infer<typeof ScreeningQuestionSchema>;

export const ScreeningFileSchema = z.object({
  version: z.literal(1),
  questions: z.array(ScreeningQuestionSchema).min(1),
  outcomes: z.object({ suitable: bilingual, defer: bilingual, review: bilingual }),
});
export type ScreeningFile = z.infer<typeof ScreeningFileSchema>;

const bilingualList = z.object({ en: z.array(text).min(1), es: z.array(text).min(1) });

export const AftercarePhaseSchema = z.object({
  id,
  /** Days after the treatment (0 = the day of treatment) this phase covers, inclusive. */
  fromDay: z.number().int().min(0),
  toDay: z.number().int().min(0),
  title: bilingual,
  do: bilingualList,
  avoid: bilingualList,
  normal: bilingualList,
  notNormal: bilingualList,
  sources: z.array(id).min(1),
});
export type AftercarePhase = z.infer<typeof AftercarePhaseSchema>;

export const AftercareSymptomSchema = z.object({
  id,
  /** The last day after treatment on which this is still expected. */
  normalUntilDay: z.number().int().min(0),
  words: z.object({ en: z.array(text).min(1), es: z.array(text).min(1) }),
  label: bilingual,
  sources: z.array(id).min(1),
  /**
   * The FAQ entry that says more about it (how long it lasts, what helps): a follow-up to the
   * day-by-day guidance ("and how long does that last?") is read against it.
   */
  entry: id.optional(),
});
export type AftercareSymptom = z.infer<typeof AftercareSymptomSchema>;

export const AftercareFileSchema = z.object({
  version: z.literal(1),
  phases: z.array(AftercarePhaseSchema).min(1),
  afterLastPhase: bilingual,
  symptoms: z.array(AftercareSymptomSchema),
});
export type AftercareFile = z.infer<typeof AftercareFileSchema>;

export const FLOWS = ['screening', 'walkthrough', 'aftercare', 'booking'] as const;
export type Flow = (typeof FLOWS)[number];

export const FlowsFileSchema = z.object({
  version: z.literal(1),
  flows: z.array(
    z.object({
      id: z.enum(FLOWS),
      en: z.object({ title: text.max(40), questions: z.array(text).min(5) }),
      es: z.object({ title: text.max(40), questions: z.array(text).min(5) }),
    }),
  ),
});
export type FlowsFile = z.infer<typeof FlowsFileSchema>;

export const WalkthroughFileSchema = z.object({
  version: z.literal(1),
  stages: z.array(
    z.object({
      id,
      title: bilingual,
      /** FAQ entries shown one per step, in order: the walkthrough reuses the curated answers. */
      steps: z.array(id).min(1),
    }),
  ),
});
export type WalkthroughFile = z.infer<typeof WalkthroughFileSchema>;

/** A time of day on the clinic's wall clock, "HH:MM" (24-hour). */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'write a time as HH:MM (24-hour), for example "09:00"');
const quickReply = text.max(40, 'button titles must be at most 40 characters');
const bilingualButton = z.object({ en: quickReply, es: quickReply });
const FollowupCheckInLanguage = z.object({
  text: text.max(900, 'a check-in must stay short (at most 900 characters)'),
  buttons: z.array(quickReply).max(3, 'offer at most 3 buttons (the stop button is added after them)').default([]),
});

export const FollowupCheckInSchema = z.object({
  id,
  /** Days after the treatment (day 0) this check-in goes out. */
  day: z.number().int().min(1).max(60),
  en: FollowupCheckInLanguage,
  es: FollowupCheckInLanguage,
});
export type FollowupCheckIn = z.infer<typeof FollowupCheckInSchema>;

export const FollowupsFileSchema = z
  .object({
    version: z.literal(1),
    /** Check-ins go out only between these times in the patient's zone (the clinic's when unknown). */
    sendingHours: z
      .object({ from: clockTime, to: clockTime })
      .refine((h) => h.from < h.to, { message: 'the sending hours must end after they start', path: ['to'] }),
    /** When in the day a check-in is planned for. */
    sendAt: clockTime,
    consent: z.object({
      question: bilingual,
      yesButton: bilingualButton,
      noButton: bilingualButton,
      confirmed: bilingual,
      declined: bilingual,
    }),
    optOut: z.object({ button: bilingualButton, confirmed: bilingual }),
    checkIns: z.array(FollowupCheckInSchema).min(1),
  })
  .refine((f) => f.sendAt >= f.sendingHours.from && f.sendAt < f.sendingHours.to, {
    message: 'sendAt must lie within the sending hours',
    path: ['sendAt'],
  });
export type FollowupsFile = z.infer<typeof FollowupsFileSchema>;

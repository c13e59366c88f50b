import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { recentBookingTimes } from '../core/booking/bookingLimit';
import { OutboxRecord } from '../core/booking/outbox';
import { Flow } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { BookingState, BookingStateSchema } from './bookingState';
import { addressKeyOf } from './personHandoff';
import { languageOf, TurnServices, UserProfile } from './turnServices';

/** A guided conversation waiting for the patient, with the options its waterfall holds (unchecked). */
export interface FlowInProgress {
  id: Flow;
  options: unknown;
}

/** The screening flow's answers so far; its full schema is the screening dialog's own. */
const ScreeningProgressSchema = z.object({ answers: z.record(z.string(), z.string()).default({}) });

/** Booking fields a patient can have given, in the order they are asked. */
const BOOKING_FIELDS = ['name', 'email', 'phone', 'contactAsTyped', 'times', 'treatment', 'note'] as const;

interface Fact {
  title: string;
  value: string;
}

/**
 * "What do you know about me?": a plain list of what the state holds for this patient and this
 * conversation (language, treatment date, suitability answers, a request being filled in, requests
 * sent and where they are, consents, the last answer), how long it is kept, and "Forget me" next to it.
 */
export async function tellWhatIsKept(
  context: TurnContext,
  services: TurnServices,
  lang: Lang,
  flow?: FlowInProgress,
): Promise<void> {
  const { replies, log } = services;
  const t = (key: string, values?: Record<string, string>): string => replies.text(lang, `myData.${key}`, values);
  const profile = await services.profile.get(context, {});
  const memory = await services.memory.get(context, {});
  const facts: Fact[] = [];
  const consents: string[] = [];

  const current = await languageOf(context, services);
  const languageName = (l: Lang): string => t(`languageNames.${l}`);
  facts.push({
    title: t('language'),
    value: profile.language
      ? t('languageChosen', { language: languageName(profile.language) })
      : t('languageFromDevice', { language: languageName(current) }),
  });
  if (memory.treatmentDate) {
    facts.push({ title: t('treatmentDate'), value: t('treatmentDateValue', { date: memory.treatmentDate }) });
  }
  if (memory.screening) {
    const count = String(Object.keys(memory.screening.answers).length);
    facts.push({ title: t('screening'), value: t('screeningShared', { count }) });
    consents.push(t('consentScreening', { date: dayOf(memory.screening.consentedAt) }));
  }
  const inFlow = flowFacts(flow, t);
  facts.push(...inFlow.facts);
  consents.push(...inFlow.consents);

  const sent = await sentRequests(services, profile);
  if (sent.waiting + sent.atClinic > 0) {
    const parts = [
      ...(sent.waiting > 0 ? [t('requestsWaiting', { count: String(sent.waiting) })] : []),
      ...(sent.atClinic > 0 ? [t('requestsAtClinic', { count: String(sent.atClinic) })] : []),
    ];
    facts.push({ title: t('requests'), value: parts.join(t('requestsJoin')) });
    if (sent.contactConsentAt) consents.push(t('consentContact', { date: dayOf(sent.contactConsentAt) }));
    if (sent.screeningConsentAt && !memory.screening) {
      consents.push(t('consentScreening', { date: dayOf(sent.screeningConsentAt) }));
    }
  }
  const addressKey = addressKeyOf(context);
  const checkIns =
    profile.checkInsIn === context.activity.conversation?.id
      ? await services.followups?.consentOf(addressKey)
      : undefined;
  if (checkIns && !checkIns.withdrawnAt) {
    facts.push({ title: t('checkIns'), value: t('checkInsValue') });
    consents.push(t('consentCheckIns', { date: dayOf(checkIns.givenAt) }));
  }
  if (profile.handoffIn === context.activity.conversation?.id && (await services.handoff?.state(addressKey))) {
    facts.push({ title: t('person'), value: t('personValue') });
  }
  if (consents.length > 0) facts.push({ title: t('consent'), value: consents.join(t('requestsJoin')) });
  if (recentBookingTimes(profile.bookingTimes, services.now()).length > 0) {
    facts.push({ title: t('bookingTimes'), value: t('bookingTimesValue') });
  }
  if (profile.lastAnswer) {
    const entry = services.engine().content.faqById.get(profile.lastAnswer.faqId);
    if (entry) facts.push({ title: t('lastAnswer'), value: t('lastAnswerValue', { title: entry[lang].title }) });
  }

  const intro = t('intro', {
    conversationDays: String(services.retention.conversationDays),
    bookingDays: String(services.retention.bookingDays),
  });
  await context.sendActivity(
    replies.summary(
      t('title'),
      intro,
      facts,
      lang,
      context.activity.channelId ?? '',
      replies.labelButtons(lang, ['myData.forgetButton']),
    ),
  );
  log.info({ event: 'my-data', facts: facts.length, flow: flow?.id }, 'told the patient what is kept');
}

/** What a guided conversation in progress holds: the booking's fields so far, the screening's answers. */
function flowFacts(
  flow: FlowInProgress | undefined,
  t: (key: string, values?: Record<string, string>) => string,
): { facts: Fact[]; consents: string[] } {
  if (flow?.id === 'booking') {
    const parsed = BookingStateSchema.safeParse(flow.options);
    if (!parsed.success) return { facts: [], consents: [] };
    const given = BOOKING_FIELDS.filter((f) => bookingValue(parsed.data, f) !== undefined).map((f) => t(`fields.${f}`));
    const value = given.length > 0 ? t('bookingFields', { fields: given.join(t('listJoin')) }) : t('bookingStarted');
    const { contactConsentAt } = parsed.data;
    return {
      facts: [{ title: t('bookingInProgress'), value }],
      consents: contactConsentAt ? [t('consentContact', { date: dayOf(contactConsentAt) })] : [],
    };
  }
  if (flow?.id === 'screening') {
    const parsed = ScreeningProgressSchema.safeParse(flow.options);
    const count = parsed.success ? Object.keys(parsed.data.answers).length : 0;
    if (count > 0)
      return {
        facts: [{ title: t('screening'), value: t('screeningInProgress', { count: String(count) }) }],
        consents: [],
      };
  }
  return { facts: [], consents: [] };
}

function bookingValue(state: BookingState, field: (typeof BOOKING_FIELDS)[number]): string | undefined {
  switch (field) {
    case 'times':
      return state.daysAndTimes;
    case 'note':
      return state.note;
    default:
      return state[field];
  }
}

/** The patient's requests still kept, by whether they reached the clinic, and the consents they carry. */
async function sentRequests(
  services: TurnServices,
  profile: UserProfile,
): Promise<{ waiting: number; atClinic: number; contactConsentAt?: string; screeningConsentAt?: string }> {
  const ids = [...new Set(profile.bookingRequests ?? [])];
  const records = (await Promise.all(ids.map((id) => services.bookingRecords.get(id)))).filter(
    (r): r is OutboxRecord => r !== undefined,
  );
  const latest = (times: (string | undefined)[]): string | undefined =>
    times
      .filter((x): x is string => x !== undefined)
      .sort()
      .at(-1);
  return {
    waiting: records.filter((r) => !reachedClinic(r)).length,
    atClinic: records.filter(reachedClinic).length,
    contactConsentAt: latest(records.map((r) => r.request.consents.givenAt)),
    screeningConsentAt: latest(
      records.map((r) => (r.request.consents.shareScreening ? r.request.consents.givenAt : undefined)),
    ),
  };
}

/** Delivered to the clinic's system, or dealt with by staff: only the clinic can delete it now. */
function reachedClinic(record: OutboxRecord): boolean {
  return record.status === 'delivered' || record.handledAt !== undefined;
}

function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

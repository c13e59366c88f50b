import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Replies } from './replies';
import { BookingDesk } from '../core/booking/bookingDesk';
import { AnalyticsSink } from '../core/analytics/analyticsEvents';
import { countInTurn, entryRef } from './turnAnalytics';
import { BookingOutbox } from '../core/booking/outbox';
import { PhraseRecognizer, FlowReply } from '../core/commands/commandRecognizer';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { GapRecorder } from '../core/gaps/gapLog';
import { ScreeningAnswer } from '../core/screening/screeningRules';
import { Lang, langOfTag } from '../core/text/language';
import { Log } from '../core/log';
import { scrubPersonalData } from '../core/privacy/scrubPersonalData';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { HandoffDesk } from './handoffDesk';
import { FollowupDesk } from './followupDesk';

export interface UserProfile {
  /** The language the patient chose ("español" / "English"); absent until they choose. */
  language?: Lang;
  /**
   * The conversation in which a guided flow is waiting for this patient. Lets a plain question
   * be answered from user state alone, without loading the conversation's dialog stack.
   */
  flowIn?: string;
  /** The last answer given, so "that didn't help" / 👎 can be tied to it (question already scrubbed). */
  lastAnswer?: { faqId: string; question: string; lang: Lang; confidence: number };
  /** Ids of the consultation requests this patient sent, so "forget me" can withdraw them. */
  bookingRequests?: string[];
  /** When requests were sent (ISO), for the cap per rolling hour; only the last hour is kept. */
  bookingTimes?: string[];
  /** "Forget me" was asked in this conversation at this time and awaits a yes or no. */
  forgetAsked?: { conversationId: string; at: string };
  /** The conversation handed to a person at the clinic (waiting or with one): the bot stays out of it. */
  handoffIn?: string;
  /** The last message the bot could not answer in this conversation (scrubbed), for "twice in a row" and staff. */
  unanswered?: { conversationId: string; question: string };
  /** Check-ins are planned for the patient of this conversation (so "stop" ends them). */
  checkInsIn?: string;
  /** A person was offered in this conversation, and why (a tap on the offer hands over for that reason). */
  personOffered?: { conversationId: string; reason: 'unanswered' | 'red-flag'; signs?: string[] };
}

/** What the bot remembers about one conversation besides the dialog stack. */
export interface ConversationMemory {
  /** The treatment date the patient gave (YYYY-MM-DD), for aftercare by day. */
  treatmentDate?: string;
  /** Screening answers, kept only when the patient agreed to share them with the clinic. */
  screening?: {
    answers: Record<string, ScreeningAnswer>;
    outcome: 'suitable' | 'defer' | 'review';
    consentedAt: string;
  };
  /** The consultation request sent in this conversation, so a second tap on "send" is answered as such. */
  bookingSent?: { requestId: string };
  /** Check-ins were offered for this treatment date (YYYY-MM-DD): asked once, the answer is the patient's. */
  checkInsOffered?: string;
}

/** Everything a dialog needs for one turn; built once, shared by every dialog. */
export interface TurnServices {
  engine: () => ConsultationEngine;
  replies: Replies;
  flowReplies: PhraseRecognizer<FlowReply>;
  log: Log;
  maxMessageChars: number;
  defaultLang: Lang;
  /** The clinic's time zone, for "today" when the channel does not send the patient's. */
  clinicTimeZone: () => string;
  now: () => Date;
  profile: StatePropertyAccessor<UserProfile>;
  memory: StatePropertyAccessor<ConversationMemory>;
  gaps: GapRecorder;
  /** Answers below this confidence are recorded as gaps. */
  gapConfidenceBelow: number;
  /** Where consultation requests go (kept durably, then delivered to the clinic's booking system). */
  bookings: BookingDesk;
  /** Consultation requests one patient may send per rolling hour. */
  maxBookingsPerHour: number;
  /** The kept booking records, read to tell a patient where their requests are. */
  bookingRecords: Pick<BookingOutbox, 'get'>;
  /** Days conversations are kept after the last message, and booking records after they reach the clinic. */
  retention: { conversationDays: number; bookingDays: number };
  /** Where patients who asked to be contacted can be reached outside a turn; none in dialog tests. */
  addresses?: Pick<PatientAddresses, 'remember' | 'forget' | 'addRequest'>;
  /** "Talk to a person": the clinic's inbox (or another provider); none in dialog tests that do not need it. */
  handoff?: HandoffDesk;
  /** Aftercare check-ins the clinic sends after an explicit yes; none in dialog tests that do not need them. */
  followups?: FollowupDesk;
  /** Staff's figures (counts only, never text); none in tests that do not look at them. */
  analytics?: AnalyticsSink;
}

/** Keeps the patient's language choice and confirms it in that language. */
export async function switchLanguage(
  context: TurnContext,
  services: TurnServices,
  language: Lang,
  withMenu: boolean,
): Promise<void> {
  const profile = await services.profile.get(context, {});
  await services.profile.set(context, { ...profile, language });
  await context.sendActivity(services.replies.simple(language, 'language.switched', withMenu));
}

/**
 * Remembers what the patient was last answered about (the question scrubbed): "that didn't help",
 * 👎 and follow-ups ("and how long does that last?") refer to it. Writes only when it changed.
 */
export async function rememberAnswer(
  context: TurnContext,
  services: TurnServices,
  answer: { faqId: string; text: string; lang: Lang; confidence: number },
): Promise<void> {
  const question = scrubPersonalData(answer.text);
  // Read now: dropping "forget me?" may have written the profile earlier in this turn.
  const profile = await services.profile.get(context, {});
  if (profile.lastAnswer?.faqId === answer.faqId && profile.lastAnswer.question === question) return;
  const lastAnswer = { faqId: answer.faqId, question, lang: answer.lang, confidence: answer.confidence };
  await services.profile.set(context, { ...profile, lastAnswer });
}

/** Records the last answer as unhelpful (from "that didn't help", 👎, or a channel's feedback button). */
export async function recordUnhelpful(context: TurnContext, services: TurnServices): Promise<boolean> {
  const profile = await services.profile.get(context, {});
  if (!profile.lastAnswer) return false;
  const { question, lang, faqId, confidence } = profile.lastAnswer;
  services.gaps.record({ text: question, lang, kind: 'unhelpful', faqId, confidence });
  countInTurn(context, services, { kind: 'feedback', reaction: 'down', entry: entryRef(services, faqId) });
  await services.profile.set(context, { ...profile, lastAnswer: undefined });
  return true;
}

/** Resolves the patient's language: their explicit choice, else the channel's locale, else the default. */
export function resolveLanguage(profile: UserProfile, locale: unknown, fallback: Lang): Lang {
  if (profile.language) return profile.language;
  // The locale arrives in the activity's JSON: langOfTag reads it only when it is a string.
  return langOfTag(locale) ?? fallback;
}

export async function languageOf(context: TurnContext, services: TurnServices): Promise<Lang> {
  return resolveLanguage(await services.profile.get(context, {}), context.activity.locale, services.defaultLang);
}

/** The patient's time zone when the channel sends one (Web Chat, Teams), else the clinic's. */
export function timeZoneOf(context: TurnContext, services: TurnServices): string {
  const tz = context.activity.localTimezone;
  return typeof tz === 'string' && tz.length > 0 ? tz : services.clinicTimeZone();
}

/** Whether a message is the label of one of our buttons (the locale line `key`), sent back as typed. */
export function isButtonLabel(services: TurnServices, text: string, lang: Lang, key: string): boolean {
  return text.trim().toLowerCase() === services.replies.text(lang, key).toLowerCase();
}

/** The message text, trimmed; empty for activities without text. */
export function textOf(context: TurnContext): string {
  return typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
}

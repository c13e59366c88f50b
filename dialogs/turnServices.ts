import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Logger } from '../bot/logger';
import type { Replies } from '../bot/replies';
import { PhraseRecognizer, FlowReply } from '../core/commands/commandRecognizer';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { GapRecorder } from '../core/gaps/gapLog';
import { ScreeningAnswer } from '../core/screening/screeningRules';
import { Lang } from '../core/text/language';

export interface UserProfile {
  /** The language the patient chose ("español" / "English"); absent until they choose. */
  language?: Lang;
}

/** What the bot remembers about one conversation besides the dialog stack. */
export interface ConversationMemory {
  /** The treatment date the patient gave (YYYY-MM-DD), for aftercare by day. */
  treatmentDate?: string;
  /** Screening answers, kept only when the patient agreed to share them with the clinic. */
  screening?: { answers: Record<string, ScreeningAnswer>; outcome: 'suitable' | 'defer' | 'review'; consentedAt: string };
  /** The last answer given, so "that didn't help" / 👎 can be tied to it (question text scrubbed when recorded). */
  lastAnswer?: { faqId: string; question: string; lang: Lang; confidence: number };
}

/** Everything a dialog needs for one turn; built once, shared by every dialog. */
export interface TurnServices {
  engine: () => ConsultationEngine;
  replies: Replies;
  flowReplies: PhraseRecognizer<FlowReply>;
  log: Logger;
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
}

/** Records a gap without ever failing the patient's turn; a storage error is only logged. */
export async function recordGap(services: TurnServices, gap: Parameters<GapRecorder['record']>[0]): Promise<void> {
  try {
    await services.gaps.record(gap);
  } catch (err) {
    services.log.error({ event: 'gap-record-failed', message: err instanceof Error ? err.message : String(err) }, 'could not record a gap');
  }
}

/** Records the last answer as unhelpful (from "that didn't help", 👎, or a channel's feedback button). */
export async function recordUnhelpful(context: TurnContext, services: TurnServices): Promise<boolean> {
  const memory = await services.memory.get(context, {});
  if (!memory.lastAnswer) return false;
  const { question, lang, faqId, confidence } = memory.lastAnswer;
  await recordGap(services, { text: question, lang, kind: 'unhelpful', faqId, confidence });
  await services.memory.set(context, { ...memory, lastAnswer: undefined });
  return true;
}

/** Resolves the patient's language: their explicit choice, else the channel's locale, else the default. */
export function resolveLanguage(profile: UserProfile, locale: string | undefined, fallback: Lang): Lang {
  if (profile.language) return profile.language;
  if (locale?.toLowerCase().startsWith('es')) return 'es';
  if (locale?.toLowerCase().startsWith('en')) return 'en';
  return fallback;
}

export async function languageOf(context: TurnContext, services: TurnServices): Promise<Lang> {
  return resolveLanguage(await services.profile.get(context, {}), context.activity.locale, services.defaultLang);
}

/** The patient's time zone when the channel sends one (Web Chat, Teams), else the clinic's. */
export function timeZoneOf(context: TurnContext, services: TurnServices): string {
  const tz = context.activity.localTimezone;
  return typeof tz === 'string' && tz.length > 0 ? tz : services.clinicTimeZone();
}

/** The message text, trimmed; empty for activities without text. */
export function textOf(context: TurnContext): string {
  return typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
}

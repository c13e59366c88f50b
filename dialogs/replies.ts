import { Activity, CardAction } from 'botbuilder';
import { FlowReply } from '../core/commands/commandRecognizer';
import { FaqEntry, Source } from '../core/content/schemas';
import { Lang } from '../core/text/language';

/** Day-by-day aftercare, as the guidance computes it from the timeline. */
export interface AftercareReply {
  day: number;
  /** The treatment date, YYYY-MM-DD. */
  date: string;
  /** Every stage of the timeline; `current` is today's, absent past the end of the timeline. */
  stages: { title: string; fromDay: number; toDay: number }[];
  current?: { index: number; do: string[]; avoid: string[]; normal: string[]; notNormal: string[] };
  /** Past the end of the timeline: what the content says then. */
  afterLast?: string;
  /** The symptoms the patient mentioned: within what is expected today, or lasting longer than usual. */
  judgements: { symptom: string; until: number; expected: boolean }[];
  sources: readonly Source[];
}

/**
 * How the dialogs say things: every line a patient reads comes from the locales or the content
 * through this interface (bot/replies.ts makes the activities), so no sentence is written in a dialog.
 */
export interface Replies {
  /** The welcome: the disclaimer, then the topic menu. */
  welcome(lang: Lang): Partial<Activity>[];
  /** A line of the locales, with clinic details and `values` filled in, for dialogs composing a message. */
  text(lang: Lang, key: string, values?: Record<string, string>): string;
  /** A line of the locales as a message, optionally with buttons. */
  line(lang: Lang, key: string, values?: Record<string, string>, buttons?: CardAction[]): Partial<Activity>;
  /** A line of the locales, optionally followed by the topic menu. */
  simple(lang: Lang, key: string, withMenu?: boolean): Partial<Activity>;
  /** A curated text (already in the patient's language) with buttons. */
  prompt(text: string, lang: Lang, buttons?: CardAction[]): Partial<Activity>;
  /** Curated text that rests on sources: a "Source:" line and the citation entity. */
  cited(text: string, sources: readonly Source[], lang: Lang, buttons?: CardAction[]): Partial<Activity>;
  /** An FAQ answer with its source line, citation and related questions. */
  answer(
    text: string,
    entry: FaqEntry,
    sources: readonly Source[],
    related: readonly FaqEntry[],
    lang: Lang,
    options?: { heading?: string; buttons?: CardAction[] },
  ): Partial<Activity>;
  /** "Did you mean", with the options as buttons, after the topics asked about that the content does not cover. */
  clarify(options: readonly FaqEntry[], lang: Lang, notCovered?: readonly string[]): Partial<Activity>;
  /** The honest "I don't have an answer", naming the topics asked about that the content does not cover. */
  fallback(lang: Lang, notCovered?: readonly string[]): Partial<Activity>;
  /** `text` after "The clinic's information doesn't cover …", when the message named such topics. */
  afterNotCovered(lang: Lang, notCovered: readonly string[], text: string): string;
  /** Urgent guidance with the buttons to call. */
  redFlag(guidance: string, level: 'emergency' | 'urgent', lang: Lang): Partial<Activity>;
  /** Day-by-day aftercare: a timeline card where the channel renders cards, text elsewhere. */
  aftercare(reply: AftercareReply, lang: Lang, channelId: string): Partial<Activity>;
  /** A titled list of facts: a card where the channel renders cards, text elsewhere. */
  summary(
    title: string,
    intro: string,
    facts: { title: string; value: string }[],
    lang: Lang,
    channelId: string,
    buttons: CardAction[],
  ): Partial<Activity>;
  /** Buttons for short replies the flows recognise (yes, no, skip…). */
  replyButtons(lang: Lang, kinds: readonly FlowReply[]): CardAction[];
  /** Buttons labelled with locale strings, each sending its label back as text. */
  labelButtons(lang: Lang, keys: readonly string[]): CardAction[];
  /** The button that starts a booking request. */
  bookButton(lang: Lang): CardAction;
}

import type { MessageDecision } from '../consultation/messageDecision';
import { Lang } from '../text/language';

/**
 * What the bot tells staff's figures. Every field is a closed set of words, a number, or an FAQ
 * entry's id and titles taken from the content: no field can hold a patient's message text, a
 * conversation id or a user id (`record({ ..., text })` does not compile).
 */
export type AnalyticsEvent =
  /** The first message of a conversation. */
  | { kind: 'conversation'; lang: Lang; channel: Channel }
  | MessageEvent
  /** 👍 / 👎 (a reaction, Teams' feedback buttons, "that helped" / "that didn't help") on an answer. */
  | { kind: 'feedback'; reaction: 'up' | 'down'; entry: EntryRef }
  /** A consultation request kept in the outbox. */
  | { kind: 'booking-requested' }
  /** A consultation request accepted by the clinic's booking system. */
  | { kind: 'booking-delivered' };

/** What became of one patient message. */
export type MessageEvent =
  | { kind: 'message'; outcome: 'answered'; lang: Lang; channel: Channel; entries: readonly EntryRef[] }
  | { kind: 'message'; outcome: Exclude<MessageOutcome, 'answered'>; lang: Lang; channel: Channel };

export const MESSAGE_OUTCOMES = [
  'answered',
  'did-you-mean',
  'fallback',
  'red-flag',
  'flow',
  'command',
  'other',
] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

/** An FAQ entry as counted: its id and the titles it had then (a snapshot, so a deleted entry keeps its history). */
export interface EntryRef {
  readonly id: string;
  readonly en: { readonly title: string };
  readonly es: { readonly title: string };
}

/** The channels counted by name; any other channel id counts as `other` (ids come from the request). */
export const CHANNELS = ['webchat', 'directline', 'msteams', 'emulator', 'test', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channel an activity came from, as counted. */
export function channelOf(channelId: unknown): Channel {
  return CHANNELS.find((c) => c === channelId) ?? 'other';
}

/** Where events go: `record` is synchronous and does no I/O (the recorder writes in batches). */
export interface AnalyticsSink {
  record(event: AnalyticsEvent): void;
}

/**
 * The event for one patient message, from the one decision taken on it; in the language the
 * decision read it in (a question written in the other language counts in that one), else `lang`.
 */
export function messageEvent(decision: MessageDecision, lang: Lang, channel: Channel): MessageEvent {
  const read = 'lang' in decision ? decision.lang : decision.kind === 'red-flag' ? decision.reply.lang : lang;
  const common = { kind: 'message', lang: read, channel } as const;
  switch (decision.kind) {
    case 'answers':
      return { ...common, outcome: 'answered', entries: decision.answers.map((a) => a.entry) };
    case 'clarify':
      return { ...common, outcome: 'did-you-mean' };
    case 'fallback':
      return { ...common, outcome: 'fallback' };
    case 'red-flag':
      return { ...common, outcome: 'red-flag' };
    case 'start-flow':
    case 'flow-reads':
    case 'day-report':
      return { ...common, outcome: 'flow' };
    case 'command':
    case 'stop-flow':
    case 'forget-confirmed':
    case 'forget-declined':
    case 'repeated-send':
    case 'ask-person':
    case 'leave-person':
    case 'opt-out':
    case 'check-ins':
      return { ...common, outcome: 'command' };
    case 'to-person':
    case 'not-text':
    case 'too-long':
      // A message for staff, a card submit without text, an over-long message: neither question nor command.
      return { ...common, outcome: 'other' };
  }
}

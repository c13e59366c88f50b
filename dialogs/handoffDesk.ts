import { TurnContext } from 'botbuilder';
import { HandoffAvailability } from '../core/handoff/handoffAvailability';
import { HandoffReason, TranscriptInput } from '../core/handoff/handoffRecord';
import { Lang } from '../core/text/language';

/** Where a conversation stands with the clinic's people. */
export type PersonState = 'waiting' | 'with-person';

/** What the dialogs need of "talk to a person" (bot/handoff implements it over the pluggable provider). */
export interface HandoffDesk {
  /** Whether someone can take a conversation now: opening hours and an agent at the inbox. */
  availability(): Promise<HandoffAvailability>;
  /** The conversation's open handoff, if any. */
  state(addressKey: string): Promise<PersonState | undefined>;
  /** Queues the conversation for a person (a handoff.initiate event to the provider). */
  request(
    context: TurnContext,
    addressKey: string,
    details: { lang: Lang; reason: HandoffReason; summary: string; transcript: TranscriptInput[] },
  ): Promise<void>;
  /** The patient wrote while handed off; `redFlag` when it fired one (staff see it did). */
  relay(addressKey: string, text: string, redFlag: boolean): Promise<void>;
  /** What the bot itself said while handed off (urgent guidance), for staff to see. */
  botSaid(addressKey: string, text: string): Promise<void>;
  /** "cancel": back to the bot. */
  leave(addressKey: string): Promise<void>;
  /** When the clinic opens next, in the clinic's time zone: days from today, the weekday and the time, in `lang`. */
  formatOpening(at: Date, lang: Lang): { inDays: number; day: string; time: string };
}

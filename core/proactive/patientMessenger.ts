import { Lang } from '../text/language';

/**
 * Where a patient's conversation can be reached outside a turn: a channel's conversation
 * reference, kept only for patients who asked to be contacted (a booking, check-ins, a person).
 * Addressed by `PatientAddresses.keyOf(channelId, conversationId)`.
 */
export interface PatientAddress {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; conversationType?: string; tenantId?: string };
  user: { id: string };
  bot: { id: string; name?: string };
  /** The patient's language when the address was saved: messages go out in it. */
  lang: Lang;
  /** IANA zone the channel reported for the patient (Web Chat, Teams); quiet hours fall back to the clinic's. */
  timeZone?: string;
  savedAt: string;
  /** The channel refused for good (the app was uninstalled or blocked): nothing more is sent. */
  stopped?: { at: string; reason: DeliveryStopReason };
  /** Booking requests sent from this conversation (latest last): the clinic's system knows their contact details. */
  requestIds?: string[];
}

export type DeliveryStopReason = 'forbidden' | 'not-found';

/** Why a message goes out, for the log and the channel data (never its text). */
export type OutgoingPurpose = 'booking-status' | 'check-in' | 'staff-reply' | 'handoff';

/** One message to a patient, already in their language (texts come from content/ or locales/). */
export interface OutgoingMessage {
  purpose: OutgoingPurpose;
  text: string;
  /** Quick replies under the message (sent back as typed text). */
  buttons?: string[];
  /** A person at the clinic wrote it: shown as theirs, not the bot's. */
  staff?: { name: string };
}

export type DeliveryOutcome =
  /** The channel accepted it. */
  | { kind: 'sent' }
  /** Kept in the embedded web chat's transcript: shown while the page is open, or when the patient returns. */
  | { kind: 'kept' }
  /** The channel throttled (429) past the retries allowed: try again after this long. */
  | { kind: 'retry'; afterMs: number }
  /** The channel refused for good (403/404): recorded on the address, never tried again. */
  | { kind: 'stopped'; reason: DeliveryStopReason }
  /** No address is kept for this conversation (never asked to be contacted, or forgotten). */
  | { kind: 'no-address' }
  /** Anything else (network, 5xx): the caller decides whether to retry. */
  | { kind: 'failed'; error: string };

/** Sends messages to a patient's own conversation outside a turn (Teams, Direct Line, the embedded web chat). */
export interface PatientMessenger {
  deliver(addressKey: string, messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome>;
}

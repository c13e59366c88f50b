import { z } from 'zod';
import { LANGS } from '../text/language';

/** Why the patient is talking to a person: they asked, the bot could not answer, or a red flag fired. */
export const HANDOFF_REASONS = ['asked', 'unanswered', 'red-flag'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/**
 * waiting: queued for staff; claimed: a staff member has the conversation; resolved: staff handed
 * it back to the bot; abandoned: the patient cancelled; timed-out: nobody claimed it in time.
 */
export const HANDOFF_STATES = ['waiting', 'claimed', 'resolved', 'abandoned', 'timed-out'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

/** While open, the bot stays quiet (except for a red flag) and staff can act on the conversation. */
export const OPEN_STATES: readonly HandoffState[] = ['waiting', 'claimed'];

export function isOpenState(state: HandoffState): boolean {
  return OPEN_STATES.includes(state);
}

export const TRANSCRIPT_ROLES = ['patient', 'bot', 'staff', 'system'] as const;
export type TranscriptRole = (typeof TRANSCRIPT_ROLES)[number];

/** What a system line of the transcript records; the console words it from its locales. */
export const HANDOFF_EVENTS = ['queued', 'claimed', 'resolved', 'abandoned', 'timed-out'] as const;
export type HandoffEvent = (typeof HANDOFF_EVENTS)[number];

/** Longer messages are cut: a transcript is a view for staff, not an archive. */
export const MAX_MESSAGE_CHARS = 2000;
/** The latest messages kept per handoff; older ones drop off the front. */
export const TRANSCRIPT_KEPT = 150;

const StaffRefSchema = z.object({ id: z.string().max(254), name: z.string().max(100) });
/** A staff member as a handoff names them: id (their sign-in email) and the name the patient sees. */
export type StaffRef = z.infer<typeof StaffRefSchema>;

export const TranscriptMessageSchema = z.object({
  /** 1, 2, 3… over the whole handoff: pages ask for the messages after the last one they show. */
  seq: z.number().int().min(1),
  role: z.enum(TRANSCRIPT_ROLES),
  text: z.string().max(MAX_MESSAGE_CHARS),
  at: z.iso.datetime(),
  staffName: z.string().max(100).optional(),
  /** A patient's message that fired a red flag (the bot still gave urgent guidance at once). */
  redFlag: z.boolean().optional(),
  /** A system line: what happened to the handoff. */
  event: z.enum(HANDOFF_EVENTS).optional(),
});
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>;

export const HandoffRecordSchema = z.object({
  id: z.string().min(8).max(64),
  /** Where the patient's conversation is reached (a PatientAddresses key). */
  addressKey: z.string().min(1).max(200),
  lang: z.enum(LANGS),
  channel: z.string().max(64),
  reason: z.enum(HANDOFF_REASONS),
  /** A short summary the bot wrote for staff. */
  summary: z.string().max(1000),
  transcript: z.array(TranscriptMessageSchema).max(TRANSCRIPT_KEPT),
  /** The seq of the latest message (also counts those that dropped off the transcript). */
  messageCount: z.number().int().min(0),
  state: z.enum(HANDOFF_STATES),
  queuedAt: z.iso.datetime(),
  claimedAt: z.iso.datetime().optional(),
  claimedBy: StaffRefSchema.optional(),
  firstStaffReplyAt: z.iso.datetime().optional(),
  resolvedAt: z.iso.datetime().optional(),
  resolvedBy: StaffRefSchema.optional(),
  /** When it closed for any reason (resolved, abandoned, timed out). */
  closedAt: z.iso.datetime().optional(),
  redFlagsFired: z.number().int().min(0),
  lastRedFlagAt: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime(),
});
export type HandoffRecord = z.infer<typeof HandoffRecordSchema>;

/** A message as the bot hands it over when it queues a conversation (its recent history). */
export interface TranscriptInput {
  role: TranscriptRole;
  text: string;
  at?: string;
  staffName?: string;
}

/** What the bot knows when it queues a conversation for staff. */
export interface OpenHandoff {
  addressKey: string;
  lang: HandoffRecord['lang'];
  channel: string;
  reason: HandoffReason;
  summary: string;
  /** The conversation so far, oldest first. */
  transcript?: readonly TranscriptInput[];
}

/** Appends lines to a record's transcript, numbering them and keeping only the latest. */
export function withMessages(
  record: HandoffRecord,
  messages: readonly Omit<TranscriptMessage, 'seq'>[],
): Pick<HandoffRecord, 'transcript' | 'messageCount'> {
  let seq = record.messageCount;
  const added = messages.map((m) => ({ ...m, text: m.text.slice(0, MAX_MESSAGE_CHARS), seq: ++seq }));
  return { transcript: [...record.transcript, ...added].slice(-TRANSCRIPT_KEPT), messageCount: seq };
}

/** What the patient's own conversation is told when staff act (the app words it and delivers it). */
export type HandoffNotice =
  | { kind: 'claimed'; staffName: string }
  | { kind: 'staff-reply'; text: string; staffName: string }
  | { kind: 'resolved' };

import { z } from 'zod';
import { BookingField } from '../core/booking/bookingAnswers';

/** The questions of the booking conversation, in the order they are asked, then the confirmation. */
export const BOOKING_STAGES = [
  'name',
  'contact',
  'email',
  'phone',
  'times',
  'treatment',
  'note',
  'contactConsent',
  'shareConsent',
  'confirm',
] as const;
export type BookingStage = (typeof BOOKING_STAGES)[number];

/** Longest free texts the clinic's booking system accepts (core/booking/bookingRequest.ts). */
export const BOOKING_MAX_CHARS = { times: 300, treatment: 120, note: 1000 } as const;

/** The booking conversation's dialog state: the answers so far and where it is. */
export const BookingStateSchema = z.object({
  /** Made when the flow begins, so a re-run turn or a second "send" never makes a second request. */
  requestId: z.uuid(),
  stage: z.enum(BOOKING_STAGES).default('name'),
  /** The last reply already asked again (with an example), so the question is not repeated. */
  reasked: z.boolean().default(false),
  /** Replies not understood in a row at this question: the second re-ask offers a way out, the third moves on. */
  misses: z.number().int().min(0).default(0),
  /** The last contact detail typed that could not be read, for "keep as typed". */
  typed: z.string().max(200).optional(),
  /** A contact detail kept as typed, unread: staff check it. */
  contactAsTyped: z.string().max(200).optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** The optional second contact detail has been offered (once). */
  otherOffered: z.boolean().default(false),
  daysAndTimes: z.string().optional(),
  treatment: z.string().optional(),
  note: z.string().optional(),
  noteAsked: z.boolean().default(false),
  contactConsentAt: z.iso.datetime().optional(),
  shareScreening: z.boolean().optional(),
});
export type BookingState = z.infer<typeof BookingStateSchema>;

/** Where "change …" on the confirmation goes back to. */
export const STAGE_TO_CHANGE: Record<BookingField, BookingStage> = {
  name: 'name',
  contact: 'contact',
  email: 'email',
  phone: 'phone',
  times: 'times',
  treatment: 'treatment',
  note: 'note',
  screening: 'shareConsent',
};

/** The first question still unanswered, or the confirmation; `screening` when there are answers to share. */
export function nextBookingStage(state: BookingState, screening: boolean): BookingStage {
  if (!state.name) return 'name';
  if (!state.email && !state.phone && !state.contactAsTyped) return 'contact';
  if (!state.otherOffered) return state.email ? 'phone' : 'email';
  if (!state.daysAndTimes) return 'times';
  if (!state.treatment) return 'treatment';
  if (!state.noteAsked) return 'note';
  if (!state.contactConsentAt) return 'contactConsent';
  if (screening && state.shareScreening === undefined) return 'shareConsent';
  return 'confirm';
}

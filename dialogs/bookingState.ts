import { z } from 'zod';
import { BOOKING_FIELDS } from '../core/booking/bookingAnswers';

/** Longest free texts the clinic's booking system accepts (core/booking/bookingRequest.ts). */
export const BOOKING_MAX_CHARS = { times: 300, treatment: 120, note: 1000 } as const;

/** The answers a consultation request is made of, each absent until given (no defaults: a patch adds only its own). */
export const BookingAnswersSchema = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** A contact detail kept as typed, unread: staff check it. */
  contactAsTyped: z.string().max(200).optional(),
  /** The optional second contact detail has been offered (once). */
  otherOffered: z.boolean().optional(),
  daysAndTimes: z.string().optional(),
  treatment: z.string().optional(),
  note: z.string().optional(),
  noteAsked: z.boolean().optional(),
  contactConsentAt: z.iso.datetime().optional(),
  shareScreening: z.boolean().optional(),
});
export type BookingAnswers = z.infer<typeof BookingAnswersSchema>;

/**
 * The booking conversation's options: the request as filled in so far, carried from step to step
 * of its waterfall and into "change …", which starts the waterfall again to ask one answer again.
 */
export const BookingStateSchema = BookingAnswersSchema.extend({
  /** Made when the flow begins, so a re-run turn or a second "send" never makes a second request. */
  requestId: z.uuid(),
  /** The answer the patient asked to change on the confirmation: asked again although it is there. */
  change: z.enum(BOOKING_FIELDS).optional(),
  /** The last send failed: the confirmation asks to send again instead of showing the summary. */
  sendFailed: z.boolean().optional(),
});
export type BookingState = z.infer<typeof BookingStateSchema>;

/** What a booking question ends with. */
export const BookingReplySchema = z.discriminatedUnion('kind', [
  /** Answers to add to the request. */
  z.object({ kind: z.literal('set'), answers: BookingAnswersSchema }),
  /** The request ends here, unsent; `say` is the line of `flows.booking` that tells the patient. */
  z.object({ kind: z.literal('stop'), say: z.enum(['noContactConsent', 'movedOn.stopped']) }),
  /** The confirmation: send the request. */
  z.object({ kind: z.literal('send') }),
  /** The confirmation: ask one answer again. */
  z.object({ kind: z.literal('change'), field: z.enum(BOOKING_FIELDS) }),
]);
export type BookingReply = z.infer<typeof BookingReplySchema>;

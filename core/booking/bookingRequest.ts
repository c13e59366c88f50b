import { z } from 'zod';

/**
 * The booking request as the clinic's booking system receives it (POST BOOKING_ENDPOINT_URL).
 * This schema is the contract: docs/booking-api.md documents it field by field, and the
 * delivery client validates every request against it before sending.
 */
export const BOOKING_SCHEMA_VERSION = 1;

const trimmed = (max: number) => z.string().trim().min(1).max(max);

export const ScreeningSummarySchema = z.object({
  /** suitable | review (a clinician should look at something) | defer (not now). Never a diagnosis. */
  outcome: z.enum(['suitable', 'review', 'defer']),
  completedAt: z.iso.datetime(),
  answers: z.array(
    z.object({
      id: z.string().min(1),
      /** The question as the patient saw it, in English for the clinic's records. */
      question: z.string().min(1),
      answer: z.enum(['yes', 'no', 'unsure', 'skip']),
    }),
  ),
});
export type ScreeningSummary = z.infer<typeof ScreeningSummarySchema>;

export const BookingRequestSchema = z
  .object({
    schemaVersion: z.literal(BOOKING_SCHEMA_VERSION),
    /** Unique per request and identical on every delivery attempt (also sent as Idempotency-Key). */
    requestId: z.uuid(),
    createdAt: z.iso.datetime(),
    /** The language the patient used: reply to them in it. */
    locale: z.enum(['en', 'es']),
    /** The channel the patient booked from (webchat, msteams, directline, …). */
    channel: z.string().min(1).max(64),
    patient: z
      .object({
        name: trimmed(120),
        /** Lower-cased address. */
        email: z.email().max(254).optional(),
        /** E.164, e.g. +15550100123. */
        phone: z
          .string()
          .regex(/^\+[1-9]\d{6,14}$/)
          .optional(),
        /** A contact detail as the patient typed it, which could not be read as an email or phone: staff check it. */
        contactAsTyped: trimmed(200).optional(),
      })
      .refine((p) => p.email !== undefined || p.phone !== undefined || p.contactAsTyped !== undefined, {
        message: 'an email, a phone number or a contact detail as typed is required',
      }),
    preferences: z.object({
      /** Free text as typed: "weekday mornings", "martes por la tarde". */
      daysAndTimes: trimmed(300),
      treatment: trimmed(120),
      note: trimmed(1000).optional(),
    }),
    consents: z.object({
      /** The patient agreed to be contacted about this request (always true: no request is made without it). */
      contact: z.literal(true),
      /** The patient agreed to share their screening answers with the clinic. */
      shareScreening: z.boolean(),
      givenAt: z.iso.datetime(),
    }),
    /** Present only when the patient did the suitability check and agreed to share it. */
    screening: ScreeningSummarySchema.optional(),
  })
  .refine((r) => r.screening === undefined || r.consents.shareScreening, {
    message: "screening answers are only sent with the patient's consent",
    path: ['screening'],
  });
export type BookingRequest = z.infer<typeof BookingRequestSchema>;

/** What the endpoint may answer with a 2xx: the clinic's own reference for the request. */
export const BookingAcceptedSchema = z.object({ reference: z.string().trim().min(1).max(100).optional() }).loose();

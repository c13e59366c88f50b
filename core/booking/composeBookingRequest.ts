import { ScreeningQuestion } from '../content/schemas';
import { ScreeningAnswer } from '../screening/screeningRules';
import { Lang } from '../text/language';
import { BOOKING_SCHEMA_VERSION, BookingRequest, BookingRequestSchema, ScreeningSummary } from './bookingRequest';

/** Screening answers the patient agreed to keep for booking (as the conversation remembers them). */
export interface KeptScreening {
  answers: Readonly<Record<string, ScreeningAnswer>>;
  outcome: ScreeningSummary['outcome'];
  consentedAt: string;
}

/** What the booking conversation collected, contact details already normalised. */
export interface BookingAnswers {
  requestId: string;
  name?: string;
  email?: string;
  phone?: string;
  contactAsTyped?: string;
  daysAndTimes?: string;
  treatment?: string;
  note?: string;
  contactConsentAt?: string;
  shareScreening?: boolean;
}

/**
 * The request as the clinic's booking system receives it. The screening goes with it only when
 * the patient agreed to share it, with each question in English for the clinic's records.
 * Throws (zod) when anything is outside the contract, so nothing malformed is ever submitted.
 */
export function composeBookingRequest(
  answers: BookingAnswers,
  context: {
    now: Date;
    lang: Lang;
    channel: string;
    screening?: KeptScreening;
    questions: readonly ScreeningQuestion[];
  },
): BookingRequest {
  const shared = answers.shareScreening === true && context.screening !== undefined;
  return BookingRequestSchema.parse({
    schemaVersion: BOOKING_SCHEMA_VERSION,
    requestId: answers.requestId,
    createdAt: context.now.toISOString(),
    locale: context.lang,
    channel: context.channel,
    patient: { name: answers.name, email: answers.email, phone: answers.phone, contactAsTyped: answers.contactAsTyped },
    preferences: { daysAndTimes: answers.daysAndTimes, treatment: answers.treatment, note: answers.note },
    consents: { contact: true, shareScreening: shared, givenAt: answers.contactConsentAt },
    screening: shared && context.screening ? screeningSummary(context.screening, context.questions) : undefined,
  });
}

function screeningSummary(kept: KeptScreening, questions: readonly ScreeningQuestion[]): ScreeningSummary {
  return {
    outcome: kept.outcome,
    completedAt: kept.consentedAt,
    answers: questions.flatMap((q) => {
      const answer = kept.answers[q.id];
      return answer ? [{ id: q.id, question: q.en.question, answer }] : [];
    }),
  };
}

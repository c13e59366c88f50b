import { composeBookingRequest } from '../../../core/booking/composeBookingRequest';
import { realContent } from '../../helpers/content';

const NOW = new Date('2026-03-05T15:00:00Z');
const ANSWERS = {
  requestId: '0b7d6c2e-3c1f-4f5e-9a51-7c1e2f6a9d10',
  name: 'Ana García',
  email: 'ana@example.com',
  daysAndTimes: 'weekday mornings',
  treatment: 'Microneedling',
  contactConsentAt: NOW.toISOString(),
};

describe('composing the booking request', () => {
  it('sends the screening only when the patient agreed to share it, with the questions in English', async () => {
    const { content } = await realContent();
    const questions = content.screening.questions;
    const screening = {
      answers: { [questions[0].id]: 'unsure' as const, [questions[1].id]: 'no' as const },
      outcome: 'review' as const,
      consentedAt: '2026-03-05T14:50:00.000Z',
    };
    const base = { now: NOW, lang: 'es' as const, channel: 'webchat', screening, questions };

    const shared = composeBookingRequest({ ...ANSWERS, shareScreening: true }, base);
    expect(shared.consents).toEqual({ contact: true, shareScreening: true, givenAt: NOW.toISOString() });
    expect(shared.screening).toEqual({
      outcome: 'review',
      completedAt: '2026-03-05T14:50:00.000Z',
      answers: [
        { id: questions[0].id, question: questions[0].en.question, answer: 'unsure' },
        { id: questions[1].id, question: questions[1].en.question, answer: 'no' },
      ],
    });

    const notShared = composeBookingRequest({ ...ANSWERS, shareScreening: false }, base);
    expect(notShared.screening).toBeUndefined();
    expect(notShared.consents.shareScreening).toBe(false);
    expect(
      composeBookingRequest({ ...ANSWERS, shareScreening: true }, { ...base, screening: undefined }).consents
        .shareScreening,
    ).toBe(false);
  });

  it('refuses to build a request without a way to contact the patient or without their consent', async () => {
    const { content } = await realContent();
    const context = { now: NOW, lang: 'en' as const, channel: 'test', questions: content.screening.questions };
    expect(() => composeBookingRequest({ ...ANSWERS, email: undefined }, context)).toThrow(
      /an email, a phone number or a contact detail as typed is required/,
    );
    expect(() => composeBookingRequest({ ...ANSWERS, contactConsentAt: undefined }, context)).toThrow();
  });
});

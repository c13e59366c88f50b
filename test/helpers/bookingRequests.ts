import { randomUUID } from 'node:crypto';
import { BookingRequest } from '../../core/booking/bookingRequest';

/** A valid booking request as the booking dialog builds it. */
export function sampleRequest(overrides: Partial<BookingRequest> = {}): BookingRequest {
  return {
    schemaVersion: 1,
    requestId: randomUUID(),
    createdAt: '2026-11-20T10:00:00.000Z',
    locale: 'en',
    channel: 'webchat',
    patient: { name: 'Ana Pérez', email: 'ana.perez@example.com', phone: '+12015550123' },
    preferences: { daysAndTimes: 'weekday mornings', treatment: 'Microneedling' },
    consents: { contact: true, shareScreening: false, givenAt: '2026-11-20T10:00:00.000Z' },
    ...overrides,
  };
}

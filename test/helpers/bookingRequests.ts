import { randomUUID } from 'node:crypto';
import { RelayOptions } from '../../core/booking/bookingRelay';
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

/** Delivery policy for tests: the production shape, with delays of milliseconds. */
export const FAST_RELAY: RelayOptions = {
  timeoutMs: 1_000,
  maxAttempts: 4,
  initialDelayMs: 20,
  maxDelayMs: 100,
  breakerThreshold: 10,
  breakerOpenMs: 200,
  sweepMs: 50,
  turnWaitMs: 2_000,
};

export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Waits until the condition holds (polling; the test's own timeout bounds it). */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

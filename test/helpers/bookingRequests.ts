import { randomUUID } from 'node:crypto';
import { Storage } from 'botbuilder';
import { BookingRelay, RelayOptions } from '../../core/booking/bookingRelay';
import { BookingRequest } from '../../core/booking/bookingRequest';
import { DeliveryClient } from '../../core/booking/deliveryClient';
import { BookingOutbox } from '../../core/booking/outbox';
import { BookingEndpoint } from './bookingEndpoint';

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

export interface RelayFixture {
  /** The clinic's booking system stand-in of the current test (a test may stop it and start another). */
  endpoint: BookingEndpoint;
  /** A relay over `store`, delivering to the endpoint (or through `client`), stopped after the test. */
  relayFor(store: Storage, options?: Partial<RelayOptions>, client?: DeliveryClient): BookingRelay;
}

/**
 * Relays against a real local HTTP endpoint: the endpoint is started before each test, and it and
 * every relay the test made are stopped after it. `client` is how relays reach the endpoint.
 */
export function relaysAgainstEndpoint(defaults: RelayOptions, client: (url: string) => DeliveryClient): RelayFixture {
  const relays: BookingRelay[] = [];
  const fixture: RelayFixture = {
    endpoint: undefined as unknown as BookingEndpoint,
    relayFor: (store, options = {}, custom) => {
      const relay = new BookingRelay(new BookingOutbox(store), custom ?? client(fixture.endpoint.url), { ...defaults, ...options }, silentLog);
      relays.push(relay);
      return relay;
    },
  };
  beforeEach(async () => {
    fixture.endpoint = await new BookingEndpoint().start();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await fixture.endpoint.stop();
  });
  return fixture;
}

import { createHmac, randomUUID } from 'node:crypto';
import { Storage } from 'botbuilder';
import { BookingRelay, RelayOptions } from '../../core/booking/bookingRelay';
import { BookingRequest } from '../../core/booking/bookingRequest';
import { DeliveryClient } from '../../core/booking/deliveryClient';
import { BookingOutbox } from '../../core/booking/outbox';
import { BookingEndpoint } from './bookingEndpoint';
import { advanceUntilSettled, fakeNow, useFakeClock } from './clock';

/** When the sample requests were made (and where a relay's fake clock starts). */
const SAMPLE_CREATED_AT = '2026-11-20T10:00:00.000Z';

/** A valid booking request as the booking dialog builds it. */
export function sampleRequest(overrides: Partial<BookingRequest> = {}): BookingRequest {
  return {
    schemaVersion: 1,
    requestId: randomUUID(),
    createdAt: SAMPLE_CREATED_AT,
    locale: 'en',
    channel: 'webchat',
    patient: { name: 'Ana Pérez', email: 'ana.perez@example.com', phone: '+12015550123' },
    preferences: { daysAndTimes: 'weekday mornings', treatment: 'Microneedling' },
    consents: { contact: true, shareScreening: false, givenAt: SAMPLE_CREATED_AT },
    ...overrides,
  };
}

/** What a patient types through the booking conversation, from asking to book to sending it. */
export const BOOKING_CONVERSATION = {
  en: [
    'i want to book',
    'Ana García',
    'ana@example.com',
    'skip',
    'weekday mornings',
    'Microneedling',
    'No note',
    'yes',
    'Send request',
  ],
  es: [
    'quiero pedir una cita',
    'Ana García',
    'ana@example.com',
    'omitir',
    'martes por la tarde',
    'Microneedling',
    'sin nota',
    'sí',
    'Enviar solicitud',
  ],
} as const;

/** A body's signature as the clinic's systems send it (`sha256=<hex HMAC>`), for status calls and nudges. */
export function hmacSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
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
      const relay = new BookingRelay(
        new BookingOutbox(store),
        custom ?? client(fixture.endpoint.url),
        { ...defaults, ...options },
        silentLog,
      );
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

/**
 * Relays on a fake clock (from `start`) against the endpoint in-process: no time passes unless
 * the test advances it, so every attempt happens when the test says and attempt counts are exact.
 * The real timers come back after each test, once its relays have stopped.
 */
export function relaysOnFakeClock(defaults: RelayOptions, start: Date = new Date(SAMPLE_CREATED_AT)): RelayFixture {
  const relays: BookingRelay[] = [];
  const fixture: RelayFixture = {
    endpoint: new BookingEndpoint(),
    relayFor: (store, options = {}, custom) => {
      const client =
        custom ?? new DeliveryClient({ url: fixture.endpoint.url, fetch: fixture.endpoint.fetch, now: fakeNow });
      const relay = new BookingRelay(
        new BookingOutbox(store, fakeNow),
        client,
        { ...defaults, ...options },
        silentLog,
        fakeNow,
      );
      relays.push(relay);
      return relay;
    },
  };
  beforeEach(() => {
    useFakeClock(start);
    fixture.endpoint = new BookingEndpoint();
  });
  afterEach(async () => {
    // A chain waiting out a backoff ends when that fake timer fires.
    await advanceUntilSettled(Promise.all(relays.splice(0).map((r) => r.stop())));
    jest.useRealTimers();
  });
  return fixture;
}

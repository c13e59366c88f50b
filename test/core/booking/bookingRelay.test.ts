import { MemoryStorage } from 'botbuilder';
import { BookingRelay, RelayOptions } from '../../../core/booking/bookingRelay';
import { DeliveryClient, signBody } from '../../../core/booking/deliveryClient';
import { BookingOutbox } from '../../../core/booking/outbox';
import { BookingEndpoint } from '../../helpers/bookingEndpoint';
import {
  FAST_RELAY,
  relaysAgainstEndpoint,
  relaysOnFakeClock,
  sampleRequest,
  silentLog,
} from '../../helpers/bookingRequests';
import { advanceUntilSettled, fakeNow } from '../../helpers/clock';
import { until } from '../../helpers/until';

describe('BookingRelay against a real local HTTP endpoint', () => {
  const fx = relaysAgainstEndpoint(
    FAST_RELAY,
    (url) => new DeliveryClient({ url, token: 'tok', signingSecret: 'shh' }),
  );

  it('delivers one request with the patient contact, the idempotency key, bearer token and signature', async () => {
    const store = new MemoryStorage();
    const request = sampleRequest();
    const outcome = await fx.relayFor(store).submit(request);
    expect(outcome).toEqual({ kind: 'confirmed', reference: 'REF-1' });
    expect(fx.endpoint.received).toHaveLength(1);
    const [got] = fx.endpoint.received;
    expect(got.json.patient).toEqual(request.patient);
    expect(got.headers['idempotency-key']).toBe(request.requestId);
    expect(got.headers.authorization).toBe('Bearer tok');
    expect(got.headers['x-booking-signature']).toBe(signBody(got.body, 'shh'));
    const record = await new BookingOutbox(store).get(request.requestId);
    expect(record).toMatchObject({ status: 'delivered', reference: 'REF-1', attempts: 1 });
  });

  it('ends with exactly one accepted request after two 503s, with the same key on every attempt', async () => {
    fx.endpoint.respond([503, 503]);
    const store = new MemoryStorage();
    const request = sampleRequest();
    const outcome = await fx.relayFor(store).submit(request);
    expect(outcome.kind).toBe('confirmed');
    expect(fx.endpoint.received.map((r) => r.headers['idempotency-key'])).toEqual([
      request.requestId,
      request.requestId,
      request.requestId,
    ]);
    expect(new Set(fx.endpoint.received.map((r) => r.body)).size).toBe(1);
    expect(fx.endpoint.accepted.size).toBe(1);
    expect(await new BookingOutbox(store).get(request.requestId)).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it(
    'tells the patient "received", not confirmed, while the endpoint is down, ' + 'and delivers once it is back',
    async () => {
      const port = fx.endpoint.port;
      await fx.endpoint.stop();
      const store = new MemoryStorage();
      const relay = fx.relayFor(store, { maxAttempts: 2, turnWaitMs: 300 });
      const request = sampleRequest();
      expect(await relay.submit(request)).toEqual({ kind: 'received' });
      const outbox = new BookingOutbox(store);
      await until(
        async () => (await outbox.get(request.requestId))?.lease === undefined,
        'the delivery attempts to give up',
      );
      expect(await outbox.get(request.requestId)).toMatchObject({
        status: 'pending',
        lastError: expect.stringMatching(/network/),
      });

      fx.endpoint = await new BookingEndpoint().start(port);
      relay.start();
      await until(() => fx.endpoint.accepted.size === 1, 'the request to arrive');
      await until(
        async () => (await outbox.get(request.requestId))?.status === 'delivered',
        'the delivery to be recorded',
      );
      expect(fx.endpoint.accepted.get(request.requestId)?.json.patient.email).toBe('ana.perez@example.com');
      expect((await outbox.active()).map((r) => r.request.requestId)).toEqual([]);
    },
  );

  it('never waits on a slow endpoint for longer than the turn allows', async () => {
    fx.endpoint.slow(800);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store, { turnWaitMs: 100 });
    const request = sampleRequest();
    expect(await relay.submit(request)).toEqual({ kind: 'received' });
    // The delivery goes on after the patient was answered.
    await until(
      async () => (await new BookingOutbox(store).get(request.requestId))?.status === 'delivered',
      'the delivery to be recorded',
    );
    expect(fx.endpoint.accepted.size).toBe(1);
  });

  it('keeps a request the endpoint rejects for good, flags it, and never retries it', async () => {
    fx.endpoint.respond([422]);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store);
    const request = sampleRequest();
    expect(await relay.submit(request)).toEqual({ kind: 'received' });
    relay.start();
    await relay.sweep();
    expect(fx.endpoint.received).toHaveLength(1);
    const outbox = new BookingOutbox(store);
    expect(await outbox.get(request.requestId)).toMatchObject({ status: 'rejected', lastStatusCode: 422 });
    expect((await outbox.listing()).map((r) => r.status)).toEqual(['rejected']);
  });

  it('waits out the Retry-After a real endpoint sends with its 503 before trying again', async () => {
    fx.endpoint.respond([503]).askToWait('1');
    const store = new MemoryStorage();
    const request = sampleRequest();
    await new BookingOutbox(store).add(request);
    const result = await fx.relayFor(store, { maxDelayMs: 5_000 }).deliver(request.requestId);
    expect(result).toEqual({ kind: 'delivered', reference: 'REF-1' });
    const [first, second] = fx.endpoint.received;
    expect(second.at - first.at).toBeGreaterThanOrEqual(1_000);
  });

  it('retries a 408 and a 429', async () => {
    fx.endpoint.respond([408, 429]);
    const store = new MemoryStorage();
    expect((await fx.relayFor(store).submit(sampleRequest())).kind).toBe('confirmed');
    expect(fx.endpoint.received).toHaveLength(3);
  });

  it('times out an endpoint that never answers and retries', async () => {
    fx.endpoint.respond([], 201).slow(400);
    const store = new MemoryStorage();
    const request = sampleRequest();
    const relay = fx.relayFor(store, { timeoutMs: 150, maxAttempts: 2, turnWaitMs: 1_000 });
    expect(await relay.submit(request)).toEqual({ kind: 'received' });
    const record = await new BookingOutbox(store).get(request.requestId);
    expect(record).toMatchObject({ status: 'pending', attempts: 2, lastError: 'timeout' });
  });

  it('opens the circuit after consecutive failures and stops calling the endpoint for a while', async () => {
    fx.endpoint.respond([], 503);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store, { breakerThreshold: 2, breakerOpenMs: 60_000, maxAttempts: 5, turnWaitMs: 1_000 });
    const first = sampleRequest();
    expect(await relay.submit(first)).toEqual({ kind: 'received' });
    const callsWhenOpen = fx.endpoint.received.length;
    expect(callsWhenOpen).toBe(2);
    expect(await relay.submit(sampleRequest())).toEqual({ kind: 'received' });
    expect(fx.endpoint.received).toHaveLength(callsWhenOpen);
    expect(await new BookingOutbox(store).get(first.requestId)).toMatchObject({
      status: 'pending',
      lastError: 'circuit open',
    });
  });

  it('has exactly one of two instances deliver a pending request', async () => {
    fx.endpoint.slow(100);
    const store = new MemoryStorage();
    const outbox = new BookingOutbox(store);
    const request = sampleRequest();
    await outbox.add(request);
    const a = fx.relayFor(store);
    const b = fx.relayFor(store);
    const results = await Promise.all([
      a.deliver(request.requestId),
      b.deliver(request.requestId),
      a.sweep(),
      b.sweep(),
    ]);
    expect(results.filter((r) => r && typeof r === 'object' && r.kind === 'delivered').length).toBeGreaterThanOrEqual(
      1,
    );
    expect(fx.endpoint.received).toHaveLength(1);
  });

  it('submitting the same request twice keeps and delivers it once', async () => {
    const store = new MemoryStorage();
    const relay = fx.relayFor(store);
    const request = sampleRequest();
    const [one, two] = await Promise.all([relay.submit(request), relay.submit(request)]);
    expect(one.kind).toBe('confirmed');
    expect(two.kind).toBe('confirmed');
    expect(await relay.submit(request)).toEqual({ kind: 'confirmed', reference: 'REF-1' });
    expect(fx.endpoint.received).toHaveLength(1);
    expect((await new BookingOutbox(store).listing()).length).toBe(1);
  });

  it('without an endpoint keeps the request pending for staff and says "received"', async () => {
    const store = new MemoryStorage();
    const relay = new BookingRelay(new BookingOutbox(store), undefined, FAST_RELAY, silentLog);
    const request = sampleRequest();
    expect(relay.delivers).toBe(false);
    expect(await relay.submit(request)).toEqual({ kind: 'received' });
    const [kept] = await new BookingOutbox(store).active();
    expect(kept).toMatchObject({ status: 'pending', attempts: 0 });
    expect(kept.request).toEqual(request);
  });
});

describe('BookingRelay and Retry-After, on a fake clock', () => {
  // Backoff without Retry-After would retry within 100 ms: every longer wait below is the endpoint's.
  const fx = relaysOnFakeClock({ ...FAST_RELAY, initialDelayMs: 20, maxDelayMs: 60_000 });

  /** Delivers one kept request and returns when each attempt reached the endpoint, in ms from the start. */
  async function attemptTimes(options: Partial<RelayOptions> = {}): Promise<number[]> {
    const store = new MemoryStorage();
    const request = sampleRequest();
    await new BookingOutbox(store, fakeNow).add(request);
    const start = fakeNow().getTime();
    const result = await advanceUntilSettled(fx.relayFor(store, options).deliver(request.requestId), 500);
    expect(result.kind).toBe('delivered');
    expect(fx.endpoint.accepted.size).toBe(1);
    return fx.endpoint.received.map((r) => r.at - start);
  }

  it('waits the number of seconds a 503 asks for', async () => {
    fx.endpoint.respond([503]).askToWait('7');
    expect(await attemptTimes()).toEqual([0, 7_000]);
  });

  it('waits until the HTTP date a 429 names', async () => {
    fx.endpoint.respond([429]).askToWait(new Date(fakeNow().getTime() + 12_000).toUTCString());
    expect(await attemptTimes()).toEqual([0, 12_000]);
  });

  it('tries again at once when the date a 429 names has passed', async () => {
    fx.endpoint.respond([429]).askToWait('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(await attemptTimes()).toEqual([0, 0]);
  });

  it('never waits longer than the maximum delay, whatever Retry-After asks', async () => {
    fx.endpoint.respond([503, 503]).askToWait('86400');
    expect(await attemptTimes({ maxDelayMs: 30_000 })).toEqual([0, 30_000, 60_000]);
  });

  it('keeps to its own backoff when Retry-After cannot be read', async () => {
    fx.endpoint.respond([503]).askToWait('in a while');
    const [first, second] = await attemptTimes();
    expect(second - first).toBeLessThan(1_000);
  });
});

import { MemoryStorage } from 'botbuilder';
import { RelayOptions } from '../../../core/booking/bookingRelay';
import { BookingOutbox } from '../../../core/booking/outbox';
import { FAST_RELAY, relaysOnFakeClock, sampleRequest } from '../../helpers/bookingRequests';
import { advanceUntilSettled } from '../../helpers/clock';
import { until } from '../../helpers/until';

const FAST: RelayOptions = { ...FAST_RELAY, timeoutMs: 2_000 };
/** Retries 400 ms apart at most: the endpoint's 201 after three 503s would come within this. */
const RETRYING: Partial<RelayOptions> = { initialDelayMs: 400, maxDelayMs: 400, turnWaitMs: 100 };
const ALL_RETRIES_MS = 4 * 400;

describe('BookingRelay.forget', () => {
  const fx = relaysOnFakeClock(FAST);

  it(
    'removes pending and rejected requests, keeps delivered and staff-handled ones, ' + 'and ignores unknown ids',
    async () => {
      const store = new MemoryStorage();
      const outbox = new BookingOutbox(store);
      const relay = fx.relayFor(store);
      const delivered = sampleRequest();
      await relay.submit(delivered);
      fx.endpoint.respond([422]);
      const rejected = sampleRequest();
      await relay.submit(rejected);
      const handled = sampleRequest();
      await outbox.add(handled);
      await outbox.markHandled(handled.requestId);
      const pending = sampleRequest();
      await outbox.add(pending);

      const outcome = await relay.forget([
        delivered.requestId,
        rejected.requestId,
        handled.requestId,
        pending.requestId,
        'never-seen',
      ]);
      expect(outcome.delivered.sort()).toEqual([delivered.requestId, handled.requestId].sort());
      expect(outcome.removed.sort()).toEqual([rejected.requestId, pending.requestId, 'never-seen'].sort());
      expect(await outbox.get(pending.requestId)).toBeUndefined();
      expect(await outbox.get(rejected.requestId)).toBeUndefined();
      expect(await outbox.get(delivered.requestId)).toMatchObject({ status: 'delivered' });
      expect((await outbox.listing()).map((r) => r.request.requestId).sort()).toEqual(
        [delivered.requestId, handled.requestId].sort(),
      );
    },
  );

  it('stops a delivery chain that is waiting to retry: no further attempt reaches the endpoint', async () => {
    fx.endpoint.respond([503, 503, 503], 201);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store, RETRYING);
    const request = sampleRequest();
    const answered = relay.submit(request);
    // The clock stands still, so the chain is waiting out its first backoff.
    await until(() => fx.endpoint.received.length === 1, 'the first attempt');
    // The chain stops when its backoff ends, and forget waits for it.
    const outcome = await advanceUntilSettled(relay.forget([request.requestId]));
    expect(outcome).toEqual({ removed: [request.requestId], delivered: [] });
    expect(await advanceUntilSettled(answered)).toEqual({ kind: 'received' });
    await jest.advanceTimersByTimeAsync(ALL_RETRIES_MS);
    await relay.sweep();
    expect(fx.endpoint.received).toHaveLength(1);
    expect(fx.endpoint.accepted.size).toBe(0);
  });

  it('counts a request whose POST was under way as one that may have reached the clinic', async () => {
    fx.endpoint.slow(500);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store, { turnWaitMs: 50 });
    const request = sampleRequest();
    expect(await advanceUntilSettled(relay.submit(request))).toEqual({ kind: 'received' });
    const outcome = await relay.forget([request.requestId]);
    expect(outcome).toEqual({ removed: [], delivered: [request.requestId] });
    // Removed all the same: no instance tries it again.
    expect(await new BookingOutbox(store).get(request.requestId)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(ALL_RETRIES_MS);
    await relay.sweep();
    expect(fx.endpoint.received).toHaveLength(1);
  });

  it('makes another instance that is retrying the request stop at its next attempt', async () => {
    fx.endpoint.respond([503, 503, 503], 201);
    const store = new MemoryStorage();
    const delivering = fx.relayFor(store, RETRYING);
    const request = sampleRequest();
    const answered = delivering.submit(request);
    await until(() => fx.endpoint.received.length === 1, 'the first attempt');
    // The other instance holds the lease: the request may be on its way, so it is reported as such.
    expect(await fx.relayFor(store).forget([request.requestId])).toEqual({
      removed: [],
      delivered: [request.requestId],
    });
    expect(await advanceUntilSettled(answered)).toEqual({ kind: 'received' });
    await jest.advanceTimersByTimeAsync(ALL_RETRIES_MS);
    // The delivering instance's retry found the request gone and stopped: one attempt, never accepted.
    expect(fx.endpoint.received).toHaveLength(1);
    expect(fx.endpoint.accepted.size).toBe(0);
  });

  it('counts a request another instance is delivering as one that may have reached the clinic', async () => {
    const store = new MemoryStorage();
    const outbox = new BookingOutbox(store);
    const request = sampleRequest();
    await outbox.add(request);
    await outbox.claim(request.requestId, 'another-instance', 60_000);
    expect(await fx.relayFor(store).forget([request.requestId])).toEqual({
      removed: [],
      delivered: [request.requestId],
    });
  });
});

import { MemoryStorage } from 'botbuilder';
import { RelayOptions } from '../../../core/booking/bookingRelay';
import { DeliveryClient } from '../../../core/booking/deliveryClient';
import { BookingOutbox } from '../../../core/booking/outbox';
import { FAST_RELAY, relaysAgainstEndpoint, sampleRequest, until } from '../../helpers/bookingRequests';

const FAST: RelayOptions = { ...FAST_RELAY, timeoutMs: 2_000 };

describe('BookingRelay.forget', () => {
  const fx = relaysAgainstEndpoint(FAST, (url) => new DeliveryClient({ url }));

  it('removes pending and rejected requests, keeps delivered and staff-handled ones, and ignores unknown ids', async () => {
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

    const outcome = await relay.forget([delivered.requestId, rejected.requestId, handled.requestId, pending.requestId, 'never-seen']);
    expect(outcome.delivered.sort()).toEqual([delivered.requestId, handled.requestId].sort());
    expect(outcome.removed.sort()).toEqual([rejected.requestId, pending.requestId, 'never-seen'].sort());
    expect(await outbox.get(pending.requestId)).toBeUndefined();
    expect(await outbox.get(rejected.requestId)).toBeUndefined();
    expect(await outbox.get(delivered.requestId)).toMatchObject({ status: 'delivered' });
    expect((await outbox.listing()).map((r) => r.request.requestId).sort()).toEqual([delivered.requestId, handled.requestId].sort());
  });

  it('stops a delivery chain that is waiting to retry: no further attempt reaches the endpoint', async () => {
    fx.endpoint.respond([503, 503, 503], 201);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store, { initialDelayMs: 400, maxDelayMs: 400, turnWaitMs: 100 });
    const request = sampleRequest();
    expect(await relay.submit(request)).toEqual({ kind: 'received' });
    await until(() => fx.endpoint.received.length >= 1);
    const outcome = await relay.forget([request.requestId]);
    expect(outcome).toEqual({ removed: [request.requestId], delivered: [] });
    const attemptsWhenForgotten = fx.endpoint.received.length;
    // Long enough for the retries to reach the endpoint's 201 had the request not been forgotten.
    await new Promise((r) => setTimeout(r, 2_000));
    await relay.sweep();
    expect(fx.endpoint.received.length).toBeLessThanOrEqual(attemptsWhenForgotten + 1);
    expect(fx.endpoint.accepted.size).toBe(0);
  });

  it('counts a request whose POST was under way as one that may have reached the clinic', async () => {
    fx.endpoint.slow(500);
    const store = new MemoryStorage();
    const relay = fx.relayFor(store, { turnWaitMs: 50 });
    const request = sampleRequest();
    expect(await relay.submit(request)).toEqual({ kind: 'received' });
    const outcome = await relay.forget([request.requestId]);
    expect(outcome).toEqual({ removed: [], delivered: [request.requestId] });
    // Removed all the same: no instance tries it again.
    expect(await new BookingOutbox(store).get(request.requestId)).toBeUndefined();
  });

  it('makes another instance that is retrying the request stop at its next attempt', async () => {
    fx.endpoint.respond([503, 503, 503], 201);
    const store = new MemoryStorage();
    const delivering = fx.relayFor(store, { initialDelayMs: 400, maxDelayMs: 400, turnWaitMs: 100 });
    const request = sampleRequest();
    await delivering.submit(request);
    // (At least: on a loaded machine a retry may already have gone out before this looks.)
    await until(() => fx.endpoint.received.length >= 1);
    // The other instance holds the lease: the request may be on its way, so it is reported as such.
    expect(await fx.relayFor(store).forget([request.requestId])).toEqual({ removed: [], delivered: [request.requestId] });
    const attemptsWhenForgotten = fx.endpoint.received.length;
    // Long enough for the retries to reach the endpoint's 201 had the request not been forgotten.
    await new Promise((r) => setTimeout(r, 2_000));
    // At most an attempt already under way when it was forgotten; none after, and never accepted.
    expect(fx.endpoint.received.length).toBeLessThanOrEqual(attemptsWhenForgotten + 1);
    expect(fx.endpoint.accepted.size).toBe(0);
  });

  it('counts a request another instance is delivering as one that may have reached the clinic', async () => {
    const store = new MemoryStorage();
    const outbox = new BookingOutbox(store);
    const request = sampleRequest();
    await outbox.add(request);
    await outbox.claim(request.requestId, 'another-instance', 60_000);
    expect(await fx.relayFor(store).forget([request.requestId])).toEqual({ removed: [], delivered: [request.requestId] });
  });
});

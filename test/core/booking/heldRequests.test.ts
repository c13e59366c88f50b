import { MemoryStorage, Storage } from 'botbuilder';
import { formatBookingListing, selectBookings } from '../../../core/booking/bookingExport';
import { BookingRelay, RelayOptions } from '../../../core/booking/bookingRelay';
import { BookingRequest } from '../../../core/booking/bookingRequest';
import { DeliveryClient } from '../../../core/booking/deliveryClient';
import { BookingOutbox } from '../../../core/booking/outbox';
import { loadConfig } from '../../../core/config';
import { FAST_RELAY, relaysOnFakeClock, sampleRequest } from '../../helpers/bookingRequests';
import { advanceUntilSettled, fakeNow } from '../../helpers/clock';

const HOUR = 3_600_000;
const HOLDING: RelayOptions = { ...FAST_RELAY, holdOlderThanMs: 24 * HOUR };

describe('requests kept before the first booking system was configured', () => {
  const fx = relaysOnFakeClock(HOLDING);

  /** Keeps a request as the bot did `hoursAgo` hours before the fake clock's now. */
  async function keptAgo(store: Storage, hoursAgo: number, request: BookingRequest = sampleRequest()) {
    const at = new Date(fakeNow().getTime() - hoursAgo * HOUR);
    await new BookingOutbox(store, () => at).add(request);
    return request;
  }

  const statusOf = async (store: Storage, request: BookingRequest) =>
    (await new BookingOutbox(store).get(request.requestId))?.status;

  it('are held for staff when older than the configured age, while recent ones are sent', async () => {
    const store = new MemoryStorage();
    const old = await keptAgo(store, 49);
    const recent = await keptAgo(store, 3);
    await advanceUntilSettled(fx.relayFor(store).sweep());

    expect([...fx.endpoint.accepted.keys()]).toEqual([recent.requestId]);
    const held = await new BookingOutbox(store).get(old.requestId);
    expect(held).toMatchObject({ status: 'held', attempts: 0, heldAt: expect.any(String) });

    const listing = formatBookingListing(selectBookings(await new BookingOutbox(store).listing()));
    expect(listing).toContain('Open requests (1)');
    expect(listing).toContain('HELD — release or handle');
  });

  it('are not sent by a later sweep, a restart, or the patient sending the same request again', async () => {
    const store = new MemoryStorage();
    const old = await keptAgo(store, 30);
    const relay = fx.relayFor(store);
    await advanceUntilSettled(relay.sweep());
    await advanceUntilSettled(relay.sweep());
    await advanceUntilSettled(fx.relayFor(store).sweep());
    expect(await advanceUntilSettled(relay.submit(old))).toEqual({ kind: 'received' });
    expect(fx.endpoint.received).toHaveLength(0);
    expect(await statusOf(store, old)).toBe('held');
  });

  it('are held before the first request a patient sends is delivered', async () => {
    const store = new MemoryStorage();
    const old = await keptAgo(store, 30);
    const fresh = sampleRequest();
    expect(await advanceUntilSettled(fx.relayFor(store).submit(fresh))).toEqual({
      kind: 'confirmed',
      reference: 'REF-1',
    });
    expect(await statusOf(store, old)).toBe('held');
    expect([...fx.endpoint.accepted.keys()]).toEqual([fresh.requestId]);
  });

  it('go to the booking system once staff release them', async () => {
    const store = new MemoryStorage();
    const old = await keptAgo(store, 30);
    const relay = fx.relayFor(store);
    await advanceUntilSettled(relay.sweep());
    const released = await new BookingOutbox(store, fakeNow).release(old.requestId);
    expect(released).toMatchObject({ status: 'pending', releasedAt: fakeNow().toISOString() });
    await advanceUntilSettled(relay.sweep());
    expect([...fx.endpoint.accepted.keys()]).toEqual([old.requestId]);
    expect(await statusOf(store, old)).toBe('delivered');
  });

  it('are held once only: a request that grows old later, with the booking system down, is sent', async () => {
    const store = new MemoryStorage();
    await advanceUntilSettled(fx.relayFor(store).sweep());
    const later = await keptAgo(store, 48);
    await advanceUntilSettled(fx.relayFor(store).sweep());
    expect([...fx.endpoint.accepted.keys()]).toEqual([later.requestId]);
  });

  it('are sent as before in an outbox that had a booking system before the first one was recorded', async () => {
    const store = new MemoryStorage();
    const delivered = await keptAgo(store, 100);
    const earlier = new BookingOutbox(store, () => new Date(fakeNow().getTime() - 99 * HOUR));
    await earlier.claim(delivered.requestId, 'old-instance', 1_000);
    await earlier.markDelivered(delivered.requestId, 'BK-1');
    const stillPending = await keptAgo(store, 50);
    await advanceUntilSettled(fx.relayFor(store).sweep());
    expect([...fx.endpoint.accepted.keys()]).toEqual([stillPending.requestId]);
  });

  it('are all sent when holding is off', async () => {
    const store = new MemoryStorage();
    const old = await keptAgo(store, 500);
    await advanceUntilSettled(fx.relayFor(store, { holdOlderThanMs: 0 }).sweep());
    expect([...fx.endpoint.accepted.keys()]).toEqual([old.requestId]);
  });

  it('are held, and none sent, when two instances meet the new booking system at once', async () => {
    const store = new MemoryStorage();
    const olds = [await keptAgo(store, 26), await keptAgo(store, 72)];
    const recent = await keptAgo(store, 1);
    const [a, b] = [fx.relayFor(store), fx.relayFor(store)];
    await advanceUntilSettled(Promise.all([a.sweep(), b.sweep()]));
    expect(fx.endpoint.received.map((r) => r.json.requestId)).toEqual([recent.requestId]);
    for (const old of olds) expect(await statusOf(store, old)).toBe('held');
  });

  it('can still be withdrawn by the patient or marked handled by staff', async () => {
    const store = new MemoryStorage();
    const [forgotten, handled] = [await keptAgo(store, 30), await keptAgo(store, 30)];
    const relay = fx.relayFor(store);
    await advanceUntilSettled(relay.sweep());
    expect(await advanceUntilSettled(relay.forget([forgotten.requestId]))).toEqual({
      removed: [forgotten.requestId],
      delivered: [],
    });
    const outbox = new BookingOutbox(store, fakeNow);
    expect(await outbox.markHandled(handled.requestId)).toMatchObject({ status: 'held' });
    expect(await outbox.active()).toEqual([]);
    // Releasing what is not held changes nothing.
    expect(await outbox.release(handled.requestId)).toMatchObject({ status: 'held' });
    expect(await outbox.release('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('are counted in the log, with nothing that identifies them', async () => {
    const store = new MemoryStorage();
    const olds = [await keptAgo(store, 25), await keptAgo(store, 40)];
    const lines: Record<string, unknown>[] = [];
    const record = (fields: Record<string, unknown>, message: string): void => {
      lines.push({ ...fields, message });
    };
    const relay = new BookingRelay(
      new BookingOutbox(store, fakeNow),
      new DeliveryClient({ url: fx.endpoint.url, fetch: fx.endpoint.fetch, now: fakeNow }),
      HOLDING,
      { info: record, warn: record, error: record },
      fakeNow,
    );
    try {
      await advanceUntilSettled(relay.sweep());
    } finally {
      await advanceUntilSettled(relay.stop());
    }
    expect(lines).toEqual([expect.objectContaining({ event: 'booking-held', held: 2 })]);
    const text = JSON.stringify(lines);
    for (const old of olds) {
      for (const detail of [old.requestId, old.patient.name, old.patient.email ?? '', old.patient.phone ?? ''])
        expect(text).not.toContain(detail);
    }
  });
});

describe('BOOKING_RELEASE_OLDER_THAN_HOURS', () => {
  it('holds requests kept for more than a day unless told otherwise', () => {
    expect(loadConfig({}).booking.holdOlderThanMs).toBe(24 * HOUR);
  });

  it('takes hours, fractions of one, or 0 to hold none', () => {
    expect(loadConfig({ BOOKING_RELEASE_OLDER_THAN_HOURS: '72' }).booking.holdOlderThanMs).toBe(72 * HOUR);
    expect(loadConfig({ BOOKING_RELEASE_OLDER_THAN_HOURS: '0.5' }).booking.holdOlderThanMs).toBe(HOUR / 2);
    expect(loadConfig({ BOOKING_RELEASE_OLDER_THAN_HOURS: '0' }).booking.holdOlderThanMs).toBe(0);
  });

  it('names a value that is not a number of hours', () => {
    expect(() => loadConfig({ BOOKING_RELEASE_OLDER_THAN_HOURS: '-1' })).toThrow(/BOOKING_RELEASE_OLDER_THAN_HOURS/);
    expect(() => loadConfig({ BOOKING_RELEASE_OLDER_THAN_HOURS: 'a day' })).toThrow(/BOOKING_RELEASE_OLDER_THAN_HOURS/);
  });
});

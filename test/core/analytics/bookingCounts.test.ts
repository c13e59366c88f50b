import { AnalyticsEvent, AnalyticsSink } from '../../../core/analytics/analyticsEvents';
import { countingBookingDesk } from '../../../core/analytics/countingBookingDesk';
import { BookingRelay } from '../../../core/booking/bookingRelay';
import { BookingRequest } from '../../../core/booking/bookingRequest';
import { DeliveryClient } from '../../../core/booking/deliveryClient';
import { BookingOutbox } from '../../../core/booking/outbox';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { BookingDesk, SubmitOutcome } from '../../../core/booking/bookingDesk';
import { FAST_RELAY, sampleRequest, silentLog } from '../../helpers/bookingRequests';

class Events implements AnalyticsSink {
  readonly seen: AnalyticsEvent[] = [];
  record(event: AnalyticsEvent): void {
    this.seen.push(event);
  }
  kinds(): string[] {
    return this.seen.map((e) => e.kind);
  }
}

/** A desk that keeps requests by calling `keep` (which may throw, as a store that is down). */
function desk(keep: (request: BookingRequest) => SubmitOutcome = () => ({ kind: 'received' })): BookingDesk {
  return {
    delivers: false,
    submit: async (request) => keep(request),
    forget: async () => ({ removed: [], delivered: [] }),
  };
}

/** The clinic's booking system, accepting everything at once. */
class AcceptingClient extends DeliveryClient {
  constructor() {
    super({ url: 'https://booking.invalid/requests' });
  }
  override async send(_request: BookingRequest): Promise<{ reference?: string }> {
    return { reference: 'R-1' };
  }
}

describe('booking counts', () => {
  it('counts a request once it is kept, once per request id', async () => {
    const events = new Events();
    const counting = countingBookingDesk(desk(), events);
    const request = sampleRequest();
    await counting.submit(request);
    await counting.submit(request); // A turn re-run after a conflict submits the same request again.
    await counting.submit(sampleRequest());
    expect(events.kinds()).toEqual(['booking-requested', 'booking-requested']);
    expect(counting.delivers).toBe(false);
  });

  it('counts nothing when the request could not be kept', async () => {
    const events = new Events();
    const failing = desk(() => {
      throw new Error('store unavailable');
    });
    await expect(countingBookingDesk(failing, events).submit(sampleRequest())).rejects.toThrow('store unavailable');
    expect(events.seen).toEqual([]);
  });

  it('counts a request delivered when the booking system accepts it, and nothing of the patient', async () => {
    const events = new Events();
    const relay = new BookingRelay(
      new BookingOutbox(new SqliteStorage(':memory:')),
      new AcceptingClient(),
      FAST_RELAY,
      silentLog,
      undefined,
      events,
    );
    expect(await relay.submit(sampleRequest())).toMatchObject({ kind: 'confirmed', reference: 'R-1' });
    await relay.stop();
    expect(events.seen).toEqual([{ kind: 'booking-delivered' }]);
  });
});

import { BookingDesk } from '../booking/bookingDesk';
import { AnalyticsSink } from './analyticsEvents';

/** Request ids this process remembers as counted; a resubmission comes within seconds (a re-run turn, a retry). */
const REMEMBERED = 5_000;

/**
 * The booking desk, counting each request once it is kept in the outbox (`submit` resolved).
 * A request submitted again with the same id (a turn re-run after a conflict) is counted once.
 */
export function countingBookingDesk(desk: BookingDesk, analytics: AnalyticsSink): BookingDesk {
  const counted = new Set<string>();
  return {
    get delivers() {
      return desk.delivers;
    },
    async submit(request, replyTo) {
      const outcome = await desk.submit(request, replyTo);
      if (!counted.has(request.requestId)) {
        counted.add(request.requestId);
        const oldest = counted.values().next().value;
        if (counted.size > REMEMBERED && oldest !== undefined) counted.delete(oldest);
        analytics.record({ kind: 'booking-requested' });
      }
      return outcome;
    },
    forget: (requestIds) => desk.forget(requestIds),
  };
}

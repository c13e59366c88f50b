import { TurnContext } from 'botbuilder';
import { bookingLimitReached, recentBookingTimes } from '../core/booking/bookingLimit';
import { TurnServices } from './turnServices';

/**
 * What the patient's profile remembers of their consultation requests: the ids, so "forget me"
 * can withdraw the ones that have not reached the clinic, and the times of the last hour, for the
 * cap on requests per patient.
 */

/** Request ids kept on a profile; older ones have long been dealt with by the clinic. */
const MAX_REMEMBERED_REQUESTS = 50;

/** True when the patient already sent as many requests in the last hour as one may. */
export async function bookingLimitReachedFor(context: TurnContext, services: TurnServices): Promise<boolean> {
  const { bookingTimes } = await services.profile.get(context, {});
  return bookingLimitReached(bookingTimes, services.now(), services.maxBookingsPerHour);
}

/**
 * Remembers a request id before it is submitted, so even a request kept by a submit that then failed can be withdrawn.
 */
export async function rememberRequest(context: TurnContext, services: TurnServices, requestId: string): Promise<void> {
  const profile = await services.profile.get(context, {});
  const known = profile.bookingRequests ?? [];
  if (!known.includes(requestId))
    await services.profile.set(context, {
      ...profile,
      bookingRequests: [...known, requestId].slice(-MAX_REMEMBERED_REQUESTS),
    });
}

/** Counts a submitted request towards the cap (older times fall out of the window and are dropped). */
export async function countRequest(context: TurnContext, services: TurnServices): Promise<void> {
  const profile = await services.profile.get(context, {});
  const now = services.now();
  await services.profile.set(context, {
    ...profile,
    bookingTimes: [...recentBookingTimes(profile.bookingTimes, now), now.toISOString()],
  });
}

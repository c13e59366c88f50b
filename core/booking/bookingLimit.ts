/** The rolling window of the per-patient cap on consultation requests. */
export const BOOKING_WINDOW_MS = 60 * 60 * 1000;

/** The times (ISO strings) that fall within the window before `now`; unreadable ones are dropped. */
export function recentBookingTimes(
  times: readonly string[] | undefined,
  now: Date,
  windowMs = BOOKING_WINDOW_MS,
): string[] {
  const since = now.getTime() - windowMs;
  return (times ?? []).filter((t) => {
    const at = Date.parse(t);
    return Number.isFinite(at) && at > since;
  });
}

/** True when `max` requests were already sent within the window. */
export function bookingLimitReached(
  times: readonly string[] | undefined,
  now: Date,
  max: number,
  windowMs = BOOKING_WINDOW_MS,
): boolean {
  return recentBookingTimes(times, now, windowMs).length >= max;
}

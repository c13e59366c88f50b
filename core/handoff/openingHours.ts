import { OpeningHours, Weekday, WEEKDAYS } from '../content/schemas';
import { addDays, instantOf, localTime, minutesOf, weekdayIndex } from '../text/zonedTime';

/** A day's ranges as [start, end) minutes since local midnight. */
function rangesOf(hours: OpeningHours, day: Weekday): [number, number][] {
  return hours[day].map((r) => [minutesOf(r.slice(0, 5)), minutesOf(r.slice(6))]);
}

/** Whether the clinic is open at `now`, on its own wall clock (Intl does the zone's DST rules). */
export function isOpen(hours: OpeningHours, timeZone: string, now: Date): boolean {
  const local = localTime(now, timeZone);
  return rangesOf(hours, WEEKDAYS[weekdayIndex(local.day)]).some(
    ([from, to]) => local.minutes >= from && local.minutes < to,
  );
}

/**
 * When the clinic next opens: `now` itself while it is open; undefined when its hours name no
 * day at all. Looks at most eight days ahead.
 */
export function nextOpening(hours: OpeningHours, timeZone: string, now: Date): Date | undefined {
  if (isOpen(hours, timeZone, now)) return now;
  const today = localTime(now, timeZone).day;
  for (let ahead = 0; ahead <= 8; ahead++) {
    const day = addDays(today, ahead);
    for (const [from] of rangesOf(hours, WEEKDAYS[weekdayIndex(day)])) {
      const at = instantOf(day, from, timeZone);
      if (at.getTime() > now.getTime()) return at;
    }
  }
  return undefined;
}

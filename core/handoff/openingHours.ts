import { OpeningHours, Weekday, WEEKDAYS } from '../content/schemas';

/** A moment on the clinic's wall clock. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'long',
      hourCycle: 'h23',
    });
    if (formatters.size > 100) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** What the clocks on the clinic's wall show at `at` (Intl does the zone's DST rules). */
function wallClock(at: Date, timeZone: string): WallClock & { seconds: number } {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.find((d) => d === get('weekday').toLowerCase()) ?? 'monday';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
    seconds: Number(get('second')),
  };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(new Date(at), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes, w.seconds);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant the wall clock in `timeZone` shows this date and time. A time that happens twice
 * (autumn) is its first occurrence; a time skipped in spring comes out as late as the jump is long
 * (02:30 becomes 03:30), as Temporal's "compatible" rule does.
 */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  // Zones change their offset at most once within a couple of days: the offsets either side are the candidates.
  const earlier = offsetAt(guess - DAY_MS, timeZone);
  const later = offsetAt(guess + DAY_MS, timeZone);
  const valid = [guess - earlier, guess - later].filter((t) => guess - offsetAt(t, timeZone) === t);
  return new Date(valid.length > 0 ? Math.min(...valid) : guess - earlier);
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** A day's ranges as [start, end) minutes since local midnight. */
function rangesOf(hours: OpeningHours, day: Weekday): [number, number][] {
  return hours[day].map((r) => [minutesOf(r.slice(0, 5)), minutesOf(r.slice(6))]);
}

/** Whether the clinic is open at `now`, on its own wall clock. */
export function isOpen(hours: OpeningHours, timeZone: string, now: Date): boolean {
  const w = wallClock(now, timeZone);
  return rangesOf(hours, w.weekday).some(([from, to]) => w.minutes >= from && w.minutes < to);
}

/**
 * When the clinic next opens: `now` itself while it is open; undefined when its hours name no
 * day at all. Looks at most eight days ahead.
 */
export function nextOpening(hours: OpeningHours, timeZone: string, now: Date): Date | undefined {
  if (isOpen(hours, timeZone, now)) return now;
  const today = wallClock(now, timeZone);
  for (let ahead = 0; ahead <= 8; ahead++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
    // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7];
    for (const [from] of rangesOf(hours, weekday)) {
      const at = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), from, timeZone);
      if (at.getTime() > now.getTime()) return at;
    }
  }
  return undefined;
}

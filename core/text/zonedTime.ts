/**
 * Wall-clock arithmetic in a time zone with nothing but Intl.DateTimeFormat: which local day and
 * time an instant is, and which instant a local time is (across DST changes). Days are ISO dates
 * ("2026-03-08"), times minutes after midnight. Quiet hours and opening hours both count on it.
 */

export interface LocalTime {
  /** The local calendar day, YYYY-MM-DD. */
  day: string;
  /** Minutes after local midnight (0–1439). */
  minutes: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Patients share a handful of zones; the cap only guards against a flood of odd names.
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone name Intl knows ("Europe/Madrid"); channels sometimes send offsets or nothing useful. */
export function isTimeZone(timeZone: string | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock fields of an instant, as a UTC timestamp with the same fields (seconds precision). */
function wallClockMs(at: Date, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** How far the zone's wall clock is ahead of UTC at that instant (negative west of Greenwich). */
function offsetMs(at: Date, timeZone: string): number {
  return wallClockMs(at, timeZone) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The local day and time of an instant in a zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const wall = new Date(wallClockMs(at, timeZone));
  return { day: wall.toISOString().slice(0, 10), minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
}

/**
 * The instant a zone's wall clock shows `minutes` on `day`. A time skipped by a DST change
 * (02:30 the night clocks go forward) is read as the same time after the change; a time that
 * happens twice (the night they go back) as the first of the two.
 */
export function instantOf(day: string, minutes: number, timeZone: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
  const candidates = [...new Set([wall - offsetMs(new Date(wall), timeZone)])];
  for (const c of [...candidates]) candidates.push(wall - offsetMs(new Date(c), timeZone));
  const exact = candidates.filter((c) => wallClockMs(new Date(c), timeZone) === wall);
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** "HH:MM" as minutes after midnight. */
export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

/** The ISO weekday of a day: 0 is Monday, 6 is Sunday. */
export function weekdayIndex(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

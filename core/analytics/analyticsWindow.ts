/** The summaries staff can ask for: the last 24 hours, or the last 7, 30 or 90 days. */
export const ANALYTICS_RANGES = ['24h', '7d', '30d', '90d'] as const;
export type AnalyticsRange = (typeof ANALYTICS_RANGES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const RANGE_DAYS: Record<Exclude<AnalyticsRange, '24h'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** Which stored hours a summary counts, and under which point of its series. */
export interface AnalyticsWindow {
  granularity: 'hour' | 'day';
  /** The UTC days whose buckets hold the window, oldest first. */
  days: string[];
  /** The series' points, oldest first. */
  labels: string[];
  /** The start of the first hour counted. */
  from: number;
  /** The point an hour (by its start, ms) counts under, or undefined when it is outside the window. */
  labelOf: (hourStart: number) => string | undefined;
  /** The point an hour would count under in any window of this granularity (its hour, or its local day). */
  groupOf: (hourStart: number) => string;
}

/**
 * 24h: the current UTC hour and the 23 before it, one point per hour. 7d/30d/90d: today and the
 * days before it in `timeZone`, one point per day; an hour counts on the day its start falls in
 * there (in zones whose offset is not whole hours, an hour straddling midnight counts on the first day).
 */
export function analyticsWindow(range: AnalyticsRange, now: Date, timeZone: string): AnalyticsWindow {
  const lastHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  if (range === '24h') {
    const from = lastHour - 23 * HOUR_MS;
    const labels = Array.from({ length: 24 }, (_, i) => new Date(from + i * HOUR_MS).toISOString());
    return {
      granularity: 'hour',
      days: [...new Set([utcDay(from), utcDay(lastHour)])],
      labels,
      from,
      labelOf: (start) => (start >= from && start <= lastHour ? new Date(start).toISOString() : undefined),
      groupOf: (start) => new Date(start).toISOString(),
    };
  }
  const localDay = localDayIn(timeZone);
  const today = localDay(now.getTime());
  const first = addDays(today, 1 - RANGE_DAYS[range]);
  const labels = Array.from({ length: RANGE_DAYS[range] }, (_, i) => addDays(first, i));
  // Local midnight is within 14 hours of UTC midnight: the UTC day before the first local day is read too.
  const days: string[] = [];
  for (let d = addDays(first, -1); d <= utcDay(now.getTime()); d = addDays(d, 1)) days.push(d);
  let from = Date.parse(`${addDays(first, -1)}T00:00:00Z`);
  while (localDay(from) < first) from += HOUR_MS;
  return {
    granularity: 'day',
    days,
    labels,
    from,
    labelOf: (start) => {
      if (start > lastHour) return undefined;
      const day = localDay(start);
      return day >= first && day <= today ? day : undefined;
    },
    groupOf: localDay,
  };
}

/** The zone if the runtime knows it, else UTC. */
export function knownTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone`. */
function localDayIn(timeZone: string): (ms: number) => string {
  if (timeZone === 'UTC') return utcDay;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ms) => {
    const parts = format.formatToParts(ms);
    const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  };
}

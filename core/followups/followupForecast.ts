import { FollowupIndex, FollowupProgram } from './followupJobs';
import { addDays, localTime } from './quietHours';

/** One follow-up in the console's forecast: when and which, never to whom or what it says. */
export interface ForecastItem {
  jobId: string;
  program: FollowupProgram;
  /** The check-in's day after treatment. */
  checkInDay: number;
  status: 'scheduled' | 'sent';
  /** When it is due (scheduled) or went out (sent). */
  at: string;
  /** The clinic's local date of `at`. */
  date: string;
}

export interface ForecastDay {
  /** The clinic's local date. */
  date: string;
  scheduled: number;
  sent: number;
}

export interface FollowupForecast {
  /** The clinic's zone the days are counted in. */
  timeZone: string;
  days: ForecastDay[];
  items: ForecastItem[];
}

/**
 * Follow-ups scheduled or sent on each of the clinic's next `days` local days, today first,
 * from the index alone (no job record is read, so no patient detail is at hand to leak).
 */
export function forecastOf(index: FollowupIndex, now: Date, clinicZone: string, days: number): FollowupForecast {
  const today = localTime(now, clinicZone).day;
  const dates = Array.from({ length: days }, (_, n) => addDays(today, n));
  const inWindow = new Set(dates);
  const items: ForecastItem[] = [];
  const entries = [...index.active, ...index.finished.filter((e) => e.status === 'sent')];
  for (const e of entries) {
    const at = e.status === 'sent' ? (e.at ?? e.dueAt) : e.dueAt;
    const date = localTime(new Date(at), clinicZone).day;
    // Overdue jobs (waiting for the morning, or for a retry) count today: that is when they go.
    const shown = e.status === 'scheduled' && date < today ? today : date;
    if (!inWindow.has(shown)) continue;
    items.push({
      jobId: e.id,
      program: e.program,
      checkInDay: e.day,
      status: e.status === 'sent' ? 'sent' : 'scheduled',
      at,
      date: shown,
    });
  }
  items.sort((a, b) => a.at.localeCompare(b.at) || a.jobId.localeCompare(b.jobId));
  return {
    timeZone: clinicZone,
    days: dates.map((date) => ({
      date,
      scheduled: items.filter((i) => i.date === date && i.status === 'scheduled').length,
      sent: items.filter((i) => i.date === date && i.status === 'sent').length,
    })),
    items,
  };
}

/**
 * When the clinic may write to a patient: within the sending hours of their local day (their zone,
 * else the clinic's), the next morning otherwise. The zone arithmetic is core/text/zonedTime.ts.
 */

import { addDays, instantOf, isTimeZone, localTime, minutesOf } from '../text/zonedTime';

export { addDays, instantOf, isTimeZone, localTime, minutesOf };
export type { LocalTime } from '../text/zonedTime';

/** The hours of a local day check-ins may go out in: from ≤ t < to, in minutes after midnight. */
export interface SendingHours {
  from: number;
  to: number;
}

/** The zone to write to a patient in: theirs when the channel gave a real one, else the clinic's (UTC if mistyped). */
export function zoneFor(patientZone: string | undefined, clinicZone: string): string {
  if (isTimeZone(patientZone)) return patientZone;
  return isTimeZone(clinicZone) ? clinicZone : 'UTC';
}

export function sendingHoursOf(hours: { from: string; to: string }): SendingHours {
  return { from: minutesOf(hours.from), to: minutesOf(hours.to) };
}

/** `at` itself when it is within the sending hours where the patient is; else the next morning's first minute. */
export function nextSendable(at: Date, timeZone: string, hours: SendingHours): Date {
  const local = localTime(at, timeZone);
  if (local.minutes >= hours.from && local.minutes < hours.to) return at;
  const day = local.minutes < hours.from ? local.day : addDays(local.day, 1);
  return instantOf(day, hours.from, timeZone);
}

/** The first sending minute of the patient's next local day (one check-in a day: the next one waits for it). */
export function nextDayStart(at: Date, timeZone: string, hours: SendingHours): Date {
  return instantOf(addDays(localTime(at, timeZone).day, 1), hours.from, timeZone);
}

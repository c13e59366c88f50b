import { Clinic, FollowupsFile } from '../content/schemas';
import { fillClinicDetails } from '../content/templates';
import { OutgoingMessage } from '../proactive/patientMessenger';
import { Lang } from '../text/language';
import { addDays, instantOf, minutesOf } from './quietHours';

/** What the scheduler reads of the content: the check-ins, and the clinic (its zone and details). */
export interface FollowupContent {
  followups: FollowupsFile;
  clinic: Clinic;
}

export interface PlannedCheckIn {
  day: number;
  /** The patient's local date of that day. */
  date: string;
  /** `sendAt` on that date where the patient is. */
  dueAt: Date;
  /** Midnight at the end of the following day: a check-in later than that is not sent. */
  expiresAt: Date;
}

/**
 * When each check-in of the program goes out for a treatment on `treatmentDate` (the patient's
 * calendar), at `sendAt` in their zone. Check-ins whose time has passed are not sent late: a
 * patient who says yes on day 2 gets days 3 and 7.
 */
export function planCheckIns(
  followups: FollowupsFile,
  treatmentDate: string,
  timeZone: string,
  now: Date,
): { planned: PlannedCheckIn[]; passed: number[] } {
  const planned: PlannedCheckIn[] = [];
  const passed: number[] = [];
  const sendAt = minutesOf(followups.sendAt);
  for (const checkIn of [...followups.checkIns].sort((a, b) => a.day - b.day)) {
    const date = addDays(treatmentDate, checkIn.day);
    const dueAt = instantOf(date, sendAt, timeZone);
    if (dueAt.getTime() <= now.getTime()) {
      passed.push(checkIn.day);
      continue;
    }
    planned.push({ day: checkIn.day, date, dueAt, expiresAt: instantOf(addDays(date, 2), 0, timeZone) });
  }
  return { planned, passed };
}

/** The day's check-in in the patient's language, its buttons and the stop button; undefined if the day was removed. */
export function checkInMessages(content: FollowupContent, day: number, lang: Lang): OutgoingMessage[] | undefined {
  const { followups, clinic } = content;
  const checkIn = followups.checkIns.find((c) => c.day === day);
  if (!checkIn) return undefined;
  const block = checkIn[lang];
  return [
    {
      purpose: 'check-in',
      text: fillClinicDetails(block.text, clinic, lang),
      buttons: [...block.buttons, followups.optOut.button[lang]],
    },
  ];
}

/** The texts around the check-ins (asking, confirming, stopping) in a language, clinic details filled in. */
export interface FollowupTexts {
  question: string;
  yesButton: string;
  noButton: string;
  confirmed: string;
  declined: string;
  optOutButton: string;
  optOutConfirmed: string;
}

export function followupTexts(content: FollowupContent, lang: Lang): FollowupTexts {
  const { consent, optOut } = content.followups;
  const fill = (text: string): string => fillClinicDetails(text, content.clinic, lang);
  return {
    question: fill(consent.question[lang]),
    yesButton: consent.yesButton[lang],
    noButton: consent.noButton[lang],
    confirmed: fill(consent.confirmed[lang]),
    declined: fill(consent.declined[lang]),
    optOutButton: optOut.button[lang],
    optOutConfirmed: fill(optOut.confirmed[lang]),
  };
}

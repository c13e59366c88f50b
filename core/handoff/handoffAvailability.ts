import { OpeningHours } from '../content/schemas';
import { isOpen, nextOpening } from './openingHours';

/**
 * Whether a person can take the conversation now: closed (outside opening hours; `opensAt` says
 * when the clinic opens next) or nobody present (open, but no agent at the inbox).
 */
export type HandoffAvailability =
  | { available: true }
  | { available: false; reason: 'closed'; opensAt?: Date }
  | { available: false; reason: 'nobody-present' };

/** Someone is available within opening hours (in the clinic's zone) and with an agent at the inbox. */
export async function handoffAvailability(v: {
  hours: OpeningHours;
  timeZone: string;
  now: Date;
  presence: { anyonePresent(): Promise<boolean> };
}): Promise<HandoffAvailability> {
  if (!isOpen(v.hours, v.timeZone, v.now)) {
    return { available: false, reason: 'closed', opensAt: nextOpening(v.hours, v.timeZone, v.now) };
  }
  return (await v.presence.anyonePresent()) ? { available: true } : { available: false, reason: 'nobody-present' };
}

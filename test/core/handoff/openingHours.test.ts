import { ClinicSchema, DEFAULT_OPENING_HOURS, OpeningHours, OpeningHoursSchema } from '../../../core/content/schemas';
import { handoffAvailability } from '../../../core/handoff/handoffAvailability';
import { isOpen, nextOpening } from '../../../core/handoff/openingHours';
import { instantOf } from '../../../core/text/zonedTime';

const NY = 'America/New_York';
const MADRID = 'Europe/Madrid';
const hours = DEFAULT_OPENING_HOURS;
const at = (iso: string): Date => new Date(iso);

describe('opening hours', () => {
  it('is open on a weekday morning in the clinic zone and closed after six', () => {
    // Thursday 10:00 and 18:30 in New York (EST, UTC-5).
    expect(isOpen(hours, NY, at('2026-03-05T15:00:00Z'))).toBe(true);
    expect(isOpen(hours, NY, at('2026-03-05T23:30:00Z'))).toBe(false);
    expect(nextOpening(hours, NY, at('2026-03-05T23:30:00Z'))).toEqual(at('2026-03-06T14:00:00Z'));
  });

  it('says the clinic is open now while it is', () => {
    const now = at('2026-03-05T15:00:00Z');
    expect(nextOpening(hours, NY, now)).toEqual(now);
  });

  it('closes at the end of a range and opens at its start', () => {
    expect(isOpen(hours, NY, at('2026-03-05T14:00:00Z'))).toBe(true);
    expect(isOpen(hours, NY, at('2026-03-05T13:59:59Z'))).toBe(false);
    expect(isOpen(hours, NY, at('2026-03-05T23:00:00Z'))).toBe(false);
  });

  it('finds Monday morning after the spring change in New York (EST to EDT)', () => {
    // Saturday 7 March 2026, 15:00 EST: closed until Monday 9 March 09:00 EDT (UTC-4).
    const saturday = at('2026-03-07T20:00:00Z');
    expect(isOpen(hours, NY, saturday)).toBe(false);
    expect(nextOpening(hours, NY, saturday)).toEqual(at('2026-03-09T13:00:00Z'));
    expect(isOpen(hours, NY, at('2026-03-09T13:30:00Z'))).toBe(true);
    // The same UTC time the week before was 08:30 EST: closed.
    expect(isOpen(hours, NY, at('2026-03-02T13:30:00Z'))).toBe(false);
  });

  it('finds Monday morning after the autumn change in New York (EDT to EST)', () => {
    const saturday = at('2026-10-31T19:00:00Z');
    expect(nextOpening(hours, NY, saturday)).toEqual(at('2026-11-02T14:00:00Z'));
    expect(isOpen(hours, NY, at('2026-11-02T13:30:00Z'))).toBe(false);
  });

  it('follows the clocks in Madrid across both changes', () => {
    // Saturday 28 March 2026 closes at 14:00 CET; Monday 30 March opens at 09:00 CEST (UTC+2).
    expect(nextOpening(hours, MADRID, at('2026-03-28T13:30:00Z'))).toEqual(at('2026-03-30T07:00:00Z'));
    expect(isOpen(hours, MADRID, at('2026-03-30T07:30:00Z'))).toBe(true);
    expect(isOpen(hours, MADRID, at('2026-03-27T07:30:00Z'))).toBe(false);
    // Saturday 24 October (CEST) opens at 08:00 UTC; Monday 26 October (CET, UTC+1) too.
    expect(nextOpening(hours, MADRID, at('2026-10-23T16:30:00Z'))).toEqual(at('2026-10-24T08:00:00Z'));
    expect(nextOpening(hours, MADRID, at('2026-10-24T12:30:00Z'))).toEqual(at('2026-10-26T08:00:00Z'));
  });

  it('reads the first of two identical autumn times and moves a skipped spring time forward', () => {
    expect(instantOf('2026-11-01', 90, NY)).toEqual(at('2026-11-01T05:30:00Z'));
    expect(instantOf('2026-03-08', 150, NY)).toEqual(at('2026-03-08T07:30:00Z'));
  });

  it('keeps a range open until midnight and skips closed days', () => {
    const late: OpeningHours = { ...emptyWeek(), sunday: ['20:00-24:00'] };
    expect(isOpen(late, MADRID, at('2026-03-01T22:59:00Z'))).toBe(true);
    expect(nextOpening(late, MADRID, at('2026-03-02T10:00:00Z'))).toEqual(at('2026-03-08T19:00:00Z'));
    expect(nextOpening(emptyWeek(), MADRID, at('2026-03-02T10:00:00Z'))).toBeUndefined();
  });

  it('refuses badly written or overlapping ranges and fills in the sample hours when left out', () => {
    expect(OpeningHoursSchema.safeParse({ monday: ['9-18'] }).success).toBe(false);
    expect(OpeningHoursSchema.safeParse({ monday: ['18:00-09:00'] }).success).toBe(false);
    expect(OpeningHoursSchema.safeParse({ monday: ['09:00-13:00', '12:00-18:00'] }).success).toBe(false);
    expect(OpeningHoursSchema.parse({ monday: ['09:00-13:00', '15:00-19:00'] }).tuesday).toEqual([]);
    const clinic = ClinicSchema.parse({
      version: 1,
      sample: true,
      name: 'C',
      phone: '1',
      email: 'a@b.example',
      bookingUrl: 'https://b.example',
      hours: { en: 'x', es: 'x' },
      address: 'x',
      emergencyNumber: '911',
      timeZone: NY,
      country: 'US',
    });
    expect(clinic.openingHours).toEqual(DEFAULT_OPENING_HOURS);
    expect(clinic.handoff.queueTimeoutMinutes).toBe(10);
  });

  it('offers a person only when open and an agent is at the inbox', async () => {
    const present = { anyonePresent: async () => true };
    const nobody = { anyonePresent: async () => false };
    const open = at('2026-03-05T15:00:00Z');
    expect(await handoffAvailability({ hours, timeZone: NY, now: open, presence: present })).toEqual({
      available: true,
    });
    expect(await handoffAvailability({ hours, timeZone: NY, now: open, presence: nobody })).toEqual({
      available: false,
      reason: 'nobody-present',
    });
    expect(
      await handoffAvailability({ hours, timeZone: NY, now: at('2026-03-05T23:30:00Z'), presence: present }),
    ).toEqual({ available: false, reason: 'closed', opensAt: at('2026-03-06T14:00:00Z') });
  });
});

function emptyWeek(): OpeningHours {
  return { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
}

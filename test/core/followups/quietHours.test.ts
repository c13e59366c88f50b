import {
  addDays,
  instantOf,
  localTime,
  nextDayStart,
  nextSendable,
  SendingHours,
  zoneFor,
} from '../../../core/followups/quietHours';

const HOURS: SendingHours = { from: 9 * 60, to: 20 * 60 };
const at = (iso: string): Date => new Date(iso);

describe('local time in a patient zone', () => {
  it('reads the local day and time of an instant in New York and Madrid', () => {
    expect(localTime(at('2026-01-15T03:30:00Z'), 'America/New_York')).toEqual({
      day: '2026-01-14',
      minutes: 22 * 60 + 30,
    });
    expect(localTime(at('2026-01-15T03:30:00Z'), 'Europe/Madrid')).toEqual({ day: '2026-01-15', minutes: 4 * 60 + 30 });
  });

  it('finds 9:00 on both sides of the spring change in New York (8 March 2026)', () => {
    expect(instantOf('2026-03-07', 9 * 60, 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(instantOf('2026-03-08', 9 * 60, 'America/New_York').toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('finds 9:00 on both sides of the spring and autumn changes in Madrid', () => {
    expect(instantOf('2026-03-28', 9 * 60, 'Europe/Madrid').toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(instantOf('2026-03-29', 9 * 60, 'Europe/Madrid').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(instantOf('2026-10-24', 9 * 60, 'Europe/Madrid').toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(instantOf('2026-10-25', 9 * 60, 'Europe/Madrid').toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('finds 9:00 on the autumn change in New York (1 November 2026)', () => {
    expect(instantOf('2026-10-31', 9 * 60, 'America/New_York').toISOString()).toBe('2026-10-31T13:00:00.000Z');
    expect(instantOf('2026-11-01', 9 * 60, 'America/New_York').toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('reads a time the clocks skip as the same time after the change, and a repeated one as the first', () => {
    expect(instantOf('2026-03-08', 2 * 60 + 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(instantOf('2026-11-01', 60 + 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(addDays('2026-12-30', 7)).toBe('2027-01-06');
  });

  it("falls back to the clinic's zone when the channel gave none or one Intl does not know", () => {
    expect(zoneFor(undefined, 'America/New_York')).toBe('America/New_York');
    expect(zoneFor('GMT+2 (somewhere)', 'America/New_York')).toBe('America/New_York');
    expect(zoneFor('Europe/Madrid', 'America/New_York')).toBe('Europe/Madrid');
  });
});

describe('quiet hours', () => {
  it('lets a message go at once between 9:00 and 20:00 where the patient is', () => {
    const noonInMadrid = at('2026-05-04T10:00:00Z');
    expect(nextSendable(noonInMadrid, 'Europe/Madrid', HOURS)).toEqual(noonInMadrid);
  });

  it('holds a message due at night until 9:00 the next morning', () => {
    // 21:30 in New York on 4 May (EDT).
    expect(nextSendable(at('2026-05-05T01:30:00Z'), 'America/New_York', HOURS).toISOString()).toBe(
      '2026-05-05T13:00:00.000Z',
    );
  });

  it('holds a message due before 9:00 until 9:00 the same day', () => {
    // 6:15 in Madrid on 4 May (CEST).
    expect(nextSendable(at('2026-05-04T04:15:00Z'), 'Europe/Madrid', HOURS).toISOString()).toBe(
      '2026-05-04T07:00:00.000Z',
    );
  });

  it('counts 20:00 itself as night', () => {
    expect(nextSendable(at('2026-05-05T00:00:00Z'), 'America/New_York', HOURS).toISOString()).toBe(
      '2026-05-05T13:00:00.000Z',
    );
  });

  it('wakes at 9:00 local after the night the clocks go forward (New York, 22:00 EST → 9:00 EDT)', () => {
    const lateOnSaturday = at('2026-03-08T03:00:00Z');
    expect(localTime(lateOnSaturday, 'America/New_York')).toEqual({ day: '2026-03-07', minutes: 22 * 60 });
    expect(nextSendable(lateOnSaturday, 'America/New_York', HOURS).toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('wakes at 9:00 local after the night the clocks go back (Madrid, 23:00 CEST → 9:00 CET)', () => {
    const lateOnSaturday = at('2026-10-24T21:00:00Z');
    expect(nextSendable(lateOnSaturday, 'Europe/Madrid', HOURS).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('judges the same instant by each patient zone: afternoon in New York is night in Madrid', () => {
    const instant = at('2026-03-28T20:30:00Z');
    expect(nextSendable(instant, 'America/New_York', HOURS)).toEqual(instant);
    expect(nextSendable(instant, 'Europe/Madrid', HOURS).toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it("opens the next day's sending hours at 9:00 local even across a DST change", () => {
    expect(nextDayStart(at('2026-03-28T12:00:00Z'), 'Europe/Madrid', HOURS).toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
  });
});

import { FollowupConsents } from '../../../core/followups/followupConsent';
import { FollowupJobs } from '../../../core/followups/followupJobs';
import { FollowupScheduler, FollowupSchedulerOptions } from '../../../core/followups/followupScheduler';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { checkInOn, FakeMessenger, followupContent, ManualTimer, schedulerOn, TestClock } from './followupFixtures';

const MADRID = 'Europe/Madrid';
const PATIENT = 'patient-madrid';
const MINUTE = 60_000;

describe('FollowupScheduler', () => {
  let store: SqliteStorage;
  let clock: TestClock;
  let messenger: FakeMessenger;
  let scheduler: FollowupScheduler;

  beforeEach(() => {
    store = new SqliteStorage(':memory:');
    // Friday 27 March 2026, 18:00 in Madrid; the clocks go forward there on Sunday the 29th.
    clock = new TestClock(Date.parse('2026-03-27T17:00:00Z'));
    messenger = new FakeMessenger(clock.now);
    scheduler = schedulerOn(store, clock, messenger);
  });
  afterEach(() => store.close());

  const rebuild = (options: Partial<FollowupSchedulerOptions>): void => {
    scheduler = schedulerOn(store, clock, messenger, options);
  };
  const consentInMadrid = (treatmentDate = '2026-03-27', addressKey = PATIENT) =>
    scheduler.consent({ addressKey, channel: 'webchat', lang: 'es', timeZone: MADRID, treatmentDate });
  const jobOf = async (addressKey: string, day: number, treatmentDate = '2026-03-27') =>
    (await new FollowupJobs(store, store).get(FollowupJobs.idOf(addressKey, 'aftercare', treatmentDate, day)))?.job;

  describe('planning', () => {
    it('plans check-ins on days 1, 3 and 7 at 10:00 where the patient is, across the DST change', async () => {
      const result = await consentInMadrid();
      expect(result.scheduled.map((s) => [s.day, s.dueAt])).toEqual([
        [1, '2026-03-28T09:00:00.000Z'],
        [3, '2026-03-30T08:00:00.000Z'],
        [7, '2026-04-03T08:00:00.000Z'],
      ]);
      expect(result.passed).toEqual([]);
    });

    it('records the consent with its time, channel and language', async () => {
      await consentInMadrid();
      expect(await scheduler.consentOf(PATIENT)).toMatchObject({
        givenAt: '2026-03-27T17:00:00.000Z',
        channel: 'webchat',
        lang: 'es',
        timeZone: MADRID,
        treatmentDate: '2026-03-27',
      });
    });

    it("uses the clinic's zone (New York) when the channel gave none", async () => {
      clock.set('2026-03-06T20:00:00Z');
      const result = await scheduler.consent({
        addressKey: 'patient-ny',
        channel: 'msteams',
        lang: 'en',
        treatmentDate: '2026-03-06',
      });
      expect(result.consent.timeZone).toBe('America/New_York');
      expect(result.scheduled.map((s) => s.dueAt)).toEqual([
        '2026-03-07T15:00:00.000Z',
        '2026-03-09T14:00:00.000Z',
        '2026-03-13T14:00:00.000Z',
      ]);
    });

    it('does not send check-ins late whose time had passed when the patient said yes', async () => {
      const result = await consentInMadrid('2026-03-25');
      expect(result.passed).toEqual([1]);
      expect(result.scheduled.map((s) => s.day)).toEqual([3, 7]);
    });

    it('keeps one job per day when the same yes is recorded twice', async () => {
      const first = await consentInMadrid();
      const second = await consentInMadrid();
      expect(second.scheduled).toEqual(first.scheduled);
      expect(await store.keys('followups/jobs/')).toHaveLength(3);
    });

    it('rejects a treatment date that is not a date', async () => {
      await expect(consentInMadrid('2026-02-30')).rejects.toThrow('YYYY-MM-DD');
    });

    it('cancels the unsent check-ins of an earlier treatment date when the patient gives another', async () => {
      await consentInMadrid('2026-03-27');
      await consentInMadrid('2026-03-26');
      expect((await jobOf(PATIENT, 3))?.cancelReason).toBe('rescheduled');
      expect((await jobOf(PATIENT, 3, '2026-03-26'))?.status).toBe('scheduled');
    });
  });

  describe('sending', () => {
    it('sends the check-in at its time in the patient language, with the stop button, and only once', async () => {
      await consentInMadrid();
      clock.set('2026-03-28T08:59:00Z');
      expect((await scheduler.runDue()).sent).toBe(0);
      clock.set('2026-03-28T09:00:00Z');
      expect((await scheduler.runDue()).sent).toBe(1);
      expect(messenger.deliveries).toHaveLength(1);
      const [message] = messenger.deliveries[0].messages;
      expect(message.purpose).toBe('check-in');
      expect(message.text).toMatch(/¿cómo tienes hoy la piel\?/);
      expect(message.text).not.toMatch(/\{\{/);
      expect(message.buttons?.at(-1)).toBe('No más mensajes');
      clock.advance(MINUTE);
      await scheduler.runDue();
      expect(messenger.deliveries).toHaveLength(1);
      expect(await jobOf(PATIENT, 1)).toMatchObject({ status: 'sent', delivery: 'sent', attempts: 1 });
    });

    it('holds a check-in that falls due at night until 9:00 the next morning where the patient is', async () => {
      await consentInMadrid();
      // No instance ran on day 1 until 21:30 in Madrid (still afternoon in the clinic's New York).
      clock.set('2026-03-28T20:30:00Z');
      expect((await scheduler.runDue())['quiet-hours']).toBe(1);
      expect(messenger.deliveries).toHaveLength(0);
      // Sunday 29 March, the night the clocks went forward: 9:00 CEST is 07:00 UTC.
      expect((await jobOf(PATIENT, 1))?.dueAt).toBe('2026-03-29T07:00:00.000Z');
      clock.set('2026-03-29T06:59:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries).toHaveLength(0);
      clock.set('2026-03-29T07:00:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries.map((d) => d.at)).toEqual(['2026-03-29T07:00:00.000Z']);
    });

    it('sends at most one check-in a day: the second due the same day waits for the next morning', async () => {
      rebuild({ content: () => followupContent({ checkIns: [checkInOn(1), checkInOn(2)] }) });
      await consentInMadrid();
      // Down all of day 1: on day 2 both are due.
      clock.set('2026-03-29T09:00:00Z');
      const summary = await scheduler.runDue();
      expect(summary.sent).toBe(1);
      expect(summary['one-a-day']).toBe(1);
      expect((await jobOf(PATIENT, 2))?.dueAt).toBe('2026-03-30T07:00:00.000Z');
      clock.set('2026-03-30T07:00:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries.map((d) => d.at)).toEqual(['2026-03-29T09:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    });

    it('gives up a check-in that could not go before the end of the next day', async () => {
      await consentInMadrid();
      clock.set('2026-03-30T08:00:00Z');
      const summary = await scheduler.runDue();
      expect(summary).toMatchObject({ cancelled: 1, sent: 1 });
      expect((await jobOf(PATIENT, 1))?.cancelReason).toBe('expired');
      expect(messenger.deliveries).toHaveLength(1);
    });

    it('tries a throttled check-in again after the wait the channel asked for', async () => {
      await consentInMadrid();
      messenger.answer = () => ({ kind: 'retry', afterMs: 30 * MINUTE });
      clock.set('2026-03-28T09:00:00Z');
      expect((await scheduler.runDue()).retry).toBe(1);
      messenger.answer = () => ({ kind: 'sent' });
      clock.set('2026-03-28T09:29:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries).toHaveLength(1);
      clock.set('2026-03-28T09:30:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries).toHaveLength(2);
      expect(await jobOf(PATIENT, 1)).toMatchObject({ status: 'sent', attempts: 2 });
    });

    it('moves a retry that would land at night to the next morning', async () => {
      await consentInMadrid();
      messenger.answer = () => ({ kind: 'retry', afterMs: 3 * 3_600_000 });
      clock.set('2026-03-28T18:30:00Z'); // 19:30 in Madrid
      await scheduler.runDue();
      expect((await jobOf(PATIENT, 1))?.dueAt).toBe('2026-03-29T07:00:00.000Z');
    });

    it.each([
      [{ kind: 'stopped', reason: 'forbidden' } as const, 'stopped-forbidden'],
      [{ kind: 'stopped', reason: 'not-found' } as const, 'stopped-not-found'],
      [{ kind: 'no-address' } as const, 'no-address'],
    ])('cancels the patient remaining check-ins when the channel answers %j', async (outcome, reason) => {
      await consentInMadrid();
      await consentInMadrid('2026-03-27', 'another-patient');
      messenger.answer = (key) => (key === PATIENT ? outcome : { kind: 'sent' });
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      for (const day of [1, 3, 7]) expect((await jobOf(PATIENT, day))?.cancelReason).toBe(reason);
      expect((await jobOf('another-patient', 3))?.status).toBe('scheduled');
      clock.set('2026-04-03T08:00:00Z');
      await scheduler.runDue();
      expect(messenger.countFor(PATIENT)).toBe(1);
    });

    it('backs off after failures and gives up after the allowed number', async () => {
      rebuild({ maxFailures: 3, backoffMs: MINUTE });
      await consentInMadrid();
      messenger.answer = () => ({ kind: 'failed', error: 'HTTP 503' });
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      expect((await jobOf(PATIENT, 1))?.dueAt).toBe('2026-03-28T09:01:00.000Z');
      clock.set('2026-03-28T09:01:00Z');
      await scheduler.runDue();
      expect((await jobOf(PATIENT, 1))?.dueAt).toBe('2026-03-28T09:05:00.000Z');
      clock.set('2026-03-28T09:05:00Z');
      await scheduler.runDue();
      expect(await jobOf(PATIENT, 1)).toMatchObject({ status: 'cancelled', cancelReason: 'failed', failures: 3 });
      expect(messenger.deliveries).toHaveLength(3);
      expect((await jobOf(PATIENT, 3))?.status).toBe('scheduled');
    });

    it('counts a messenger that throws as a failed delivery', async () => {
      await consentInMadrid();
      messenger.answer = () => {
        throw new Error('socket hang up');
      };
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      expect(await jobOf(PATIENT, 1)).toMatchObject({ status: 'scheduled', failures: 1 });
      expect((await jobOf(PATIENT, 1))?.lastError).toMatch(/socket hang up/);
    });

    it('counts a message kept in the web chat transcript as delivered', async () => {
      await consentInMadrid();
      messenger.answer = () => ({ kind: 'kept' });
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      expect(await jobOf(PATIENT, 1)).toMatchObject({ status: 'sent', delivery: 'kept' });
    });

    it('cancels a check-in whose day staff removed from the content', async () => {
      await consentInMadrid();
      rebuild({ content: () => followupContent({ checkIns: [checkInOn(3), checkInOn(7)] }) });
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      expect((await jobOf(PATIENT, 1))?.cancelReason).toBe('not-in-content');
      expect(messenger.deliveries).toHaveLength(0);
    });
  });

  describe('stopping', () => {
    it('withdraws the consent and cancels everything scheduled when the patient opts out', async () => {
      await consentInMadrid();
      clock.advance(MINUTE);
      expect(await scheduler.optOut(PATIENT)).toBe(3);
      expect((await scheduler.consentOf(PATIENT))?.withdrawnAt).toBe('2026-03-27T17:01:00.000Z');
      for (const day of [1, 3, 7]) expect((await jobOf(PATIENT, day))?.cancelReason).toBe('opted-out');
      clock.set('2026-04-03T08:00:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries).toHaveLength(0);
    });

    it('plans the check-ins still ahead again when the patient says yes after opting out', async () => {
      await consentInMadrid();
      await scheduler.optOut(PATIENT);
      clock.set('2026-03-29T12:00:00Z');
      const again = await consentInMadrid();
      expect(again.scheduled.map((s) => s.day)).toEqual([3, 7]);
      expect((await scheduler.consentOf(PATIENT))?.withdrawnAt).toBeUndefined();
      expect((await jobOf(PATIENT, 1))?.cancelReason).toBe('opted-out');
    });

    it('does not send a job whose consent was withdrawn before its jobs were cancelled', async () => {
      await consentInMadrid();
      // An opt-out on another instance that got as far as the consent.
      await new FollowupConsents(store, store).withdraw(PATIENT, clock.now());
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      expect(messenger.deliveries).toHaveLength(0);
      expect((await jobOf(PATIENT, 1))?.cancelReason).toBe('opted-out');
    });

    it('deletes the consent and every job, sent or not, when the patient asks to be forgotten', async () => {
      await consentInMadrid();
      await consentInMadrid('2026-03-27', 'another-patient');
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      await scheduler.forget(PATIENT);
      expect(await scheduler.consentOf(PATIENT)).toBeUndefined();
      expect(await jobOf(PATIENT, 1)).toBeUndefined();
      expect(await jobOf(PATIENT, 3)).toBeUndefined();
      const index = JSON.stringify(await new FollowupJobs(store, store).readIndex());
      expect(index).not.toContain(PATIENT);
      expect(index).toContain('another-patient');
    });
  });

  describe('the forecast', () => {
    it('counts scheduled and sent check-ins per clinic day for the next 7 days, without patient details', async () => {
      await consentInMadrid();
      await consentInMadrid('2026-03-28', 'patient-two');
      clock.set('2026-03-28T09:00:00Z');
      await scheduler.runDue();
      const forecast = await scheduler.forecast();
      expect(forecast.timeZone).toBe('America/New_York');
      expect(forecast.days.map((d) => [d.date, d.scheduled, d.sent])).toEqual([
        ['2026-03-28', 0, 1],
        ['2026-03-29', 1, 0],
        ['2026-03-30', 1, 0],
        ['2026-03-31', 1, 0],
        ['2026-04-01', 0, 0],
        ['2026-04-02', 0, 0],
        ['2026-04-03', 1, 0],
      ]);
      expect(forecast.items).toHaveLength(5);
      const text = JSON.stringify(forecast);
      expect(text).not.toContain('patient');
      expect(text).not.toMatch(/piel|skin/);
    });
  });

  describe('polling', () => {
    it('looks for due check-ins on every tick of the injected timer until stopped', async () => {
      const timer = new ManualTimer();
      rebuild({ every: timer.every });
      await consentInMadrid();
      scheduler.start();
      expect(timer.ticks).toHaveLength(1);
      await scheduler.runDue(); // the look right after start
      clock.set('2026-03-28T09:00:00Z');
      timer.ticks[0]();
      await scheduler.runDue(); // joins the tick's pass
      expect(messenger.deliveries).toHaveLength(1);
      await scheduler.stop();
      expect(timer.cancelled).toBe(1);
      expect(timer.ticks).toHaveLength(0);
    });
  });
});

import { FollowupJobs } from '../../../core/followups/followupJobs';
import { FollowupScheduler } from '../../../core/followups/followupScheduler';
import { DeliveryOutcome } from '../../../core/proactive/patientMessenger';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { FakeMessenger, schedulerOn, tempStoreFile, TestClock } from './followupFixtures';

const PATIENTS = Array.from({ length: 12 }, (_, i) => `patient-${i}`);
const LEASE_MS = 5 * 60_000;
/** 10:00 in Madrid on days 1, 3 and 7 after 27 March 2026 (the clocks go forward on the 29th). */
const DUE = ['2026-03-28T09:00:00Z', '2026-03-30T08:00:00Z', '2026-04-03T08:00:00Z'];

describe('each check-in goes exactly once across instances sharing one store', () => {
  let file: string;
  let cleanup: () => void;
  const opened: SqliteStorage[] = [];
  let clock: TestClock;

  /** One "process": its own connection to the shared sqlite file, its own scheduler and messenger. */
  function instance(owner: string): { store: SqliteStorage; scheduler: FollowupScheduler; messenger: FakeMessenger } {
    const store = new SqliteStorage(file, () => clock.ms);
    opened.push(store);
    const messenger = new FakeMessenger(clock.now);
    return { store, messenger, scheduler: schedulerOn(store, clock, messenger, { owner, leaseMs: LEASE_MS }) };
  }

  const consent = (scheduler: FollowupScheduler, addressKey: string) =>
    scheduler.consent({
      addressKey,
      channel: 'webchat',
      lang: 'en',
      timeZone: 'Europe/Madrid',
      treatmentDate: '2026-03-27',
    });

  beforeEach(() => {
    ({ file, cleanup } = tempStoreFile());
    clock = new TestClock(Date.parse('2026-03-27T17:00:00Z'));
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    cleanup();
  });

  it('keeps one job per day when two instances record the same yes at once', async () => {
    const a = instance('instance-a');
    const b = instance('instance-b');
    await Promise.all(PATIENTS.flatMap((p) => [consent(a.scheduler, p), consent(b.scheduler, p)]));
    expect(await a.store.keys('followups/jobs/')).toHaveLength(PATIENTS.length * 3);
    const index = await new FollowupJobs(a.store, a.store).readIndex();
    expect(index.active).toHaveLength(PATIENTS.length * 3);
  });

  it('sends every check-in once when two instances poll at the same moment', async () => {
    const a = instance('instance-a');
    const b = instance('instance-b');
    for (const p of PATIENTS) await consent(a.scheduler, p);
    for (const due of DUE) {
      clock.set(due);
      await Promise.all([a.scheduler.runDue(), b.scheduler.runDue(), a.scheduler.runDue()]);
    }
    const all = [...a.messenger.deliveries, ...b.messenger.deliveries];
    expect(all).toHaveLength(PATIENTS.length * 3);
    for (const p of PATIENTS) expect(all.filter((d) => d.addressKey === p)).toHaveLength(3);
    // Both did some of the work: the claims, not a lucky ordering, kept them apart.
    expect(a.messenger.deliveries.length).toBeGreaterThan(0);
    expect(b.messenger.deliveries.length).toBeGreaterThan(0);
    const forecast = await b.scheduler.forecast(1);
    expect(forecast.days[0].sent).toBe(PATIENTS.length);
  });

  it('finds the jobs again after a restart: sent ones stay sent, the rest go at their time', async () => {
    const first = instance('instance-a');
    await consent(first.scheduler, 'patient-0');
    clock.set(DUE[0]);
    await first.scheduler.runDue();
    first.store.close();

    const restarted = instance('instance-a-restarted');
    clock.set(DUE[1]);
    await restarted.scheduler.runDue();
    clock.set(DUE[2]);
    await restarted.scheduler.runDue();
    expect(first.messenger.deliveries).toHaveLength(1);
    expect(restarted.messenger.deliveries.map((d) => d.at)).toEqual([
      '2026-03-30T08:00:00.000Z',
      '2026-04-03T08:00:00.000Z',
    ]);
  });

  describe('an instance killed while sending', () => {
    /** Instance A claims day 1 and hangs in deliver, as a process killed mid-send would leave it. */
    async function crashMidSend(): Promise<{
      crashed: ReturnType<typeof instance>;
      wakeUp: (outcome: DeliveryOutcome) => void;
    }> {
      const crashed = instance('instance-a');
      await consent(crashed.scheduler, 'patient-0');
      let wakeUp: (outcome: DeliveryOutcome) => void = () => undefined;
      crashed.messenger.answer = () => new Promise<DeliveryOutcome>((resolve) => (wakeUp = resolve));
      clock.set(DUE[0]);
      void crashed.scheduler.runDue();
      while (crashed.messenger.deliveries.length === 0) await new Promise((resolve) => setImmediate(resolve));
      return { crashed, wakeUp: (outcome) => wakeUp(outcome) };
    }

    it('leaves the job alone while its lease holds, then sends it once when the lease has expired', async () => {
      const { crashed } = await crashMidSend();
      const restarted = instance('instance-b');
      clock.advance(LEASE_MS - 1);
      expect((await restarted.scheduler.runDue())['not-due']).toBe(1);
      expect(restarted.messenger.deliveries).toHaveLength(0);

      clock.advance(1);
      expect((await restarted.scheduler.runDue()).sent).toBe(1);
      clock.advance(60_000);
      await restarted.scheduler.runDue();
      expect(restarted.messenger.deliveries).toHaveLength(1);
      // The documented at-least-once window: the killed instance may have reached the channel too.
      expect(crashed.messenger.deliveries.length + restarted.messenger.deliveries.length).toBe(2);
      const job = (
        await new FollowupJobs(restarted.store, restarted.store).get(
          FollowupJobs.idOf('patient-0', 'aftercare', '2026-03-27', 1),
        )
      )?.job;
      expect(job).toMatchObject({ status: 'sent', attempts: 2 });
      expect(job?.lease).toBeUndefined();
    });

    it('ignores the late answer of an instance whose lease another one took over', async () => {
      const { wakeUp } = await crashMidSend();
      const other = instance('instance-b');
      clock.advance(LEASE_MS);
      other.messenger.answer = () => ({ kind: 'retry', afterMs: 10 * 60_000 });
      await other.scheduler.runDue();
      // The first instance comes back and reports its send: the job is instance B's now.
      wakeUp({ kind: 'sent' });
      await new Promise((resolve) => setImmediate(resolve));
      const jobs = new FollowupJobs(other.store, other.store);
      const job = (await jobs.get(FollowupJobs.idOf('patient-0', 'aftercare', '2026-03-27', 1)))?.job;
      expect(job?.status).toBe('scheduled');
      expect(job?.dueAt).toBe(new Date(clock.ms + 10 * 60_000).toISOString());
    });
  });
});

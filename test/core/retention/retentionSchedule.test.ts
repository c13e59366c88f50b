import { RetentionSchedule } from '../../../core/retention/retentionSchedule';
import { SweepResult } from '../../../core/retention/retentionSweep';
import { silentLog } from '../../helpers/bookingRequests';
import { useFakeClock } from '../../helpers/clock';

const DONE: SweepResult = {
  deleted: [],
  counts: { conversation: 0, user: 0, transcript: 0, booking: 0, gaps: 0, 'staff-session': 0, contact: 0 },
  kept: 0,
  interrupted: false,
};

/** A sweep that records each run and finishes when the test says. */
class FakeSweep {
  runs = 0;
  stopAsked = false;
  private finish?: () => void;

  run(shouldStop: () => boolean): Promise<SweepResult> {
    this.runs += 1;
    return new Promise((resolve) => {
      this.finish = () => {
        this.stopAsked = shouldStop();
        resolve(DONE);
      };
    });
  }

  end(): void {
    this.finish?.();
  }
}

describe('the retention schedule', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => jest.useRealTimers());

  it('first looks after start-up, then every interval once the last sweep finished, one at a time', async () => {
    const sweep = new FakeSweep();
    const schedule = new RetentionSchedule(
      sweep,
      { ...silentLog, debug: () => undefined },
      {
        firstAfterMs: 60_000,
        checkEveryMs: 600_000,
      },
    );
    schedule.start();
    await jest.advanceTimersByTimeAsync(59_999);
    expect(sweep.runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(sweep.runs).toBe(1);
    // Still running: no second sweep starts, however long it takes.
    await jest.advanceTimersByTimeAsync(1_800_000);
    expect(sweep.runs).toBe(1);
    sweep.end();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(sweep.runs).toBe(2);
    sweep.end();
    await schedule.stop();
  });

  it('asks a running sweep to stop on shutdown and waits for it; no sweep starts afterwards', async () => {
    const sweep = new FakeSweep();
    const schedule = new RetentionSchedule(
      sweep,
      { ...silentLog, debug: () => undefined },
      {
        firstAfterMs: 10,
        checkEveryMs: 10,
      },
    );
    schedule.start();
    await jest.advanceTimersByTimeAsync(10);
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    sweep.end();
    await stopping;
    expect(sweep.stopAsked).toBe(true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(sweep.runs).toBe(1);
  });
});

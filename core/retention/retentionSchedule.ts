import { Log } from '../log';
import { SweepResult } from './retentionSweep';

export interface ScheduleTimes {
  /** The first look, after start-up has settled. */
  firstAfterMs: number;
  /** How often each instance looks whether a sweep is due (the lease decides which one sweeps). */
  checkEveryMs: number;
}

/**
 * Runs the retention sweep in the background on an unref'd timer, never on a patient's turn: one
 * run at a time in this process, the next scheduled only when the last has finished, and `stop()`
 * asks a running sweep to stop between items and waits for it.
 */
export class RetentionSchedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepResult | undefined>;
  private started = false;
  /** Set by stop(): a running sweep stops between items. */
  private closing = false;

  constructor(
    private readonly sweep: { run(shouldStop: () => boolean): Promise<SweepResult | undefined> },
    private readonly log: Log,
    private readonly times: ScheduleTimes,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.closing = false;
    this.schedule(this.times.firstAfterMs);
  }

  /** Runs a sweep now (or joins the one running); undefined when another instance holds it or none is due. */
  runNow(): Promise<SweepResult | undefined> {
    this.running ??= this.sweep
      .run(() => this.closing)
      .then((result) => {
        if (result) this.logResult(result);
        return result;
      })
      .catch((err: unknown) => {
        this.log.warn(
          { event: 'retention-sweep-failed', error: err instanceof Error ? err.name : typeof err },
          'retention sweep failed; the next one will try again',
        );
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.closing = true;
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      void this.runNow().finally(() => this.schedule(this.times.checkEveryMs));
    }, delayMs);
    this.timer.unref();
  }

  private logResult(result: SweepResult): void {
    this.log.info(
      { event: 'retention-sweep', deleted: result.counts, kept: result.kept, interrupted: result.interrupted },
      'deleted what is kept past its retention',
    );
  }
}

import { Log } from '../log';
import { DeliveryOutcome, PatientMessenger } from '../proactive/patientMessenger';
import { FollowupConsents } from './followupConsent';
import { CancelReason, FollowupJob, FollowupJobs } from './followupJobs';
import { checkInMessages, FollowupContent } from './followupPlan';
import { localTime, nextDayStart, nextSendable, sendingHoursOf } from './quietHours';

/** What became of one due job in a pass. */
export type JobResult = 'sent' | 'not-due' | 'taken' | 'quiet-hours' | 'one-a-day' | 'retry' | 'cancelled' | 'gone';

export interface FollowupSenderOptions {
  messenger: PatientMessenger;
  content: () => FollowupContent;
  owner: string;
  now: () => Date;
  leaseMs: number;
  maxFailures: number;
  backoffMs: number;
  log?: Log;
}

const MAX_BACKOFF_MS = 6 * 3_600_000;

/**
 * Sends one due check-in: quiet hours, an eTag-checked lease on the job, the patient's daily slot,
 * the delivery, and what its outcome means (sent; retry after a wait; cancel the patient's jobs
 * when the channel refused or the address is gone; back off, then give up, on failures).
 */
export class FollowupSender {
  private readonly owner: string;
  private readonly now: () => Date;

  constructor(
    private readonly jobs: FollowupJobs,
    private readonly consents: FollowupConsents,
    private readonly options: FollowupSenderOptions,
  ) {
    this.owner = options.owner;
    this.now = options.now;
  }

  /** Takes one due job through quiet hours, its claim, the daily slot, the send and its outcome. */
  async process(jobId: string): Promise<JobResult> {
    const now = this.now();
    const iso = now.toISOString();
    const found = await this.jobs.get(jobId);
    if (!found) {
      await this.jobs.unindex([jobId]);
      return 'gone';
    }
    const { job, eTag } = found;
    if (job.status !== 'scheduled') {
      await this.jobs.syncIndex([job]);
      return 'gone';
    }
    if (job.dueAt > iso || (job.lease && job.lease.until > iso)) return 'not-due';
    if (job.expiresAt <= iso) return (await this.cancelJob(jobId, 'expired')) ? 'cancelled' : 'gone';
    const hours = sendingHoursOf(this.options.content().followups.sendingHours);
    const sendable = nextSendable(now, job.timeZone, hours);
    if (sendable > now) return this.postpone(jobId, undefined, sendable, 'quiet-hours');

    const claimed: FollowupJob = {
      ...job,
      attempts: job.attempts + 1,
      updatedAt: iso,
      lease: { owner: this.owner, until: new Date(now.getTime() + this.options.leaseMs).toISOString() },
    };
    if (!(await this.jobs.replace(claimed, eTag))) return 'taken';
    const slot = await this.consents.claimDay(job.addressKey, localTime(now, job.timeZone).day, jobId);
    if (slot === 'withdrawn') return (await this.cancelJob(jobId, 'opted-out')) ? 'cancelled' : 'gone';
    if (slot === 'taken') return this.postpone(jobId, this.owner, nextDayStart(now, job.timeZone, hours), 'one-a-day');
    const messages = checkInMessages(this.options.content(), job.day, job.lang);
    if (!messages) return (await this.cancelJob(jobId, 'not-in-content')) ? 'cancelled' : 'gone';

    let outcome: DeliveryOutcome;
    try {
      outcome = await this.options.messenger.deliver(job.addressKey, messages);
    } catch (err) {
      outcome = { kind: 'failed', error: describeError(err) };
    }
    return this.settle(claimed, outcome);
  }

  private async settle(job: FollowupJob, outcome: DeliveryOutcome): Promise<JobResult> {
    const now = this.now();
    const log = { jobId: job.jobId, program: job.program, day: job.day, outcome: outcome.kind };
    switch (outcome.kind) {
      case 'sent':
      case 'kept':
        // Recorded even if cancelled meanwhile (it did go); not when another instance took the job over.
        await this.jobs.update(job.jobId, (j) =>
          j.lease?.owner !== this.owner || j.status === 'sent'
            ? undefined
            : {
                ...j,
                status: 'sent',
                sentAt: now.toISOString(),
                updatedAt: now.toISOString(),
                delivery: outcome.kind,
                lease: undefined,
                lastError: undefined,
              },
        );
        this.options.log?.info({ event: 'followup-sent', ...log });
        return 'sent';
      case 'retry': {
        const at = nextSendable(new Date(now.getTime() + outcome.afterMs), job.timeZone, this.hours());
        return this.postpone(job.jobId, this.owner, at, 'retry', 'throttled');
      }
      case 'stopped':
      case 'no-address': {
        const reason: CancelReason = outcome.kind === 'stopped' ? `stopped-${outcome.reason}` : 'no-address';
        this.options.log?.warn({ event: 'followup-stopped', ...log, reason });
        await this.cancelFor(job.addressKey, reason);
        return 'cancelled';
      }
      case 'failed': {
        const failures = job.failures + 1;
        this.options.log?.warn({ event: 'followup-failed', ...log, failures, error: outcome.error.slice(0, 200) });
        if (failures >= this.options.maxFailures) {
          await this.cancelJob(job.jobId, 'failed', { lastError: outcome.error, failures });
          return 'cancelled';
        }
        const waitMs = Math.min(this.options.backoffMs * 4 ** (failures - 1), MAX_BACKOFF_MS);
        const at = nextSendable(new Date(now.getTime() + waitMs), job.timeZone, this.hours());
        return this.postpone(job.jobId, this.owner, at, 'retry', outcome.error, failures);
      }
    }
  }

  /** Moves a scheduled job to `dueAt` (freeing our lease), or cancels it when that is past its expiry. */
  private async postpone(
    jobId: string,
    owner: string | undefined,
    dueAt: Date,
    result: JobResult,
    lastError?: string,
    failures?: number,
  ): Promise<JobResult> {
    const iso = this.now().toISOString();
    const next = await this.jobs.update(jobId, (j) => {
      const leased = owner === undefined ? j.lease !== undefined && j.lease.until > iso : j.lease?.owner !== owner;
      if (j.status !== 'scheduled' || leased) return undefined;
      const moved = { ...j, updatedAt: iso, lease: undefined, failures: failures ?? j.failures };
      const error = lastError?.slice(0, 200) ?? j.lastError;
      if (dueAt.toISOString() >= j.expiresAt)
        return { ...moved, status: 'cancelled', cancelledAt: iso, cancelReason: 'expired', lastError: error };
      return { ...moved, dueAt: dueAt.toISOString(), lastError: error };
    });
    return next?.status === 'cancelled' ? 'cancelled' : result;
  }

  /**
   * Cancels one job still scheduled (its lease kept, so a send under way can still record that it
   * went); true when this call cancelled it.
   */
  async cancelJob(
    jobId: string,
    reason: CancelReason,
    detail: { lastError?: string; failures?: number } = {},
  ): Promise<boolean> {
    const iso = this.now().toISOString();
    let cancelled = false;
    await this.jobs.update(jobId, (j) => {
      cancelled = j.status === 'scheduled';
      return cancelled
        ? {
            ...j,
            status: 'cancelled',
            cancelledAt: iso,
            cancelReason: reason,
            updatedAt: iso,
            failures: detail.failures ?? j.failures,
            lastError: detail.lastError?.slice(0, 200) ?? j.lastError,
          }
        : undefined;
    });
    return cancelled;
  }

  /** Cancels every check-in still scheduled for the patient, recording why. Returns how many. */
  async cancelFor(addressKey: string, reason: CancelReason): Promise<number> {
    let cancelled = 0;
    for (const id of await this.jobIdsOf(addressKey, false)) {
      if (await this.cancelJob(id, reason)) cancelled++;
    }
    if (cancelled > 0) this.options.log?.info({ event: 'followup-cancelled', reason, jobs: cancelled });
    return cancelled;
  }

  /** The patient's job ids: from the consent (all ever planned) and the index. */
  async jobIdsOf(addressKey: string, includeFinished: boolean): Promise<string[]> {
    const index = await this.jobs.readIndex();
    const listed = [...index.active, ...(includeFinished ? index.finished : [])].filter(
      (e) => e.addressKey === addressKey,
    );
    const consent = await this.consents.get(addressKey);
    return [...new Set([...(consent?.jobIds ?? []), ...listed.map((e) => e.id)])];
  }

  private hours(): ReturnType<typeof sendingHoursOf> {
    return sendingHoursOf(this.options.content().followups.sendingHours);
  }
}

/** What the log may say about an error: its name and a short message, never a patient's text. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : 'unknown error';
}

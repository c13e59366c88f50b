/**
 * Aftercare check-ins the clinic sends (issue 15): durable jobs in the state store, sent through a
 * PatientMessenger only between content/followups.yaml `sendingHours` where the patient is, at most
 * one a day, each (patient, program, treatment date, day) exactly once across instances.
 *
 * Wiring (bot/, dialogs/):
 * - build one per process: `new FollowupScheduler({ store, catalog, messenger, content: () => runtime.engine.content,
 *   owner: instanceId, log })`; `catalog` is the SqliteStorage itself or the BlobCatalog of the state container.
 * - on an explicit yes (the patient gave a treatment date and tapped `followupTexts(content, lang).yesButton`):
 *   `await scheduler.consent({ addressKey: await addresses.remember(...), channel, lang, timeZone, treatmentDate })`,
 *   then say `followupTexts(...).confirmed`.
 * - on the stop button (its text is `followupTexts(content, lang).optOutButton`, the last quick reply of
 *   every check-in) or a "stop" command: `await scheduler.optOut(addressKey)`, then say `optOutConfirmed`.
 * - on "forget me": `await scheduler.forget(addressKey)` next to PatientAddresses.forget.
 * - at start-up `scheduler.start()` (polls every `pollMs`), at shutdown `await scheduler.stop()`;
 *   `runDue()` is one pass, for tests or an external timer.
 * - the console: `await scheduler.forecast()` (next 7 days, counts per day and the list, no patient text).
 *
 * Store keys: `followups/index`, `followups/jobs/<jobId>`, `followups/consent/<addressKey>` (none is
 * bot state, so the retention sweep leaves them); sent and cancelled jobs are deleted after
 * `keepFinishedDays`, a consent stays until "forget me".
 *
 * Delivery guarantee: a job is claimed with an eTag-checked lease (owner + until) before it is sent
 * and marked sent after, so of several live instances exactly one sends it, and a job recorded as
 * sent is never sent again. The one window left is at-least-once: an instance that dies after the
 * channel accepted the message but before "sent" is written leaves a lease that expires after
 * `leaseMs`; the job is then sent again (the alternative, never retrying an expired lease, would
 * lose every check-in whose instance died before sending). `leaseMs` must outlast one `deliver`.
 */
import { fromIso } from '../aftercare/treatmentDate';
import { Log } from '../log';
import { PatientMessenger } from '../proactive/patientMessenger';
import { KeyValueStore } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { Lang } from '../text/language';
import { FollowupConsent, FollowupConsents } from './followupConsent';
import { FollowupForecast, forecastOf } from './followupForecast';
import { CancelReason, FollowupJob, FollowupJobs, FollowupProgram } from './followupJobs';
import { FollowupContent, planCheckIns } from './followupPlan';
import { describeError, FollowupSender, JobResult } from './followupSender';
import { zoneFor } from './quietHours';

export type { JobResult } from './followupSender';

/** Calls `tick` every `ms` until the returned function is called (tests pass their own). */
export type Every = (ms: number, tick: () => void) => () => void;

export interface FollowupSchedulerOptions {
  store: KeyValueStore;
  /** Create-only first writes (SqliteStorage, or BlobCatalog on Azure Blob). */
  catalog: Pick<StoreCatalog, 'createIfAbsent'>;
  messenger: PatientMessenger;
  /** The content as served now: staff edits to texts and days apply to check-ins not yet sent. */
  content: () => FollowupContent;
  /** This instance, as written in leases. */
  owner: string;
  now?: () => Date;
  every?: Every;
  /** How often due jobs are looked for (default 60 s). */
  pollMs?: number;
  /** How long a claim lasts (default 5 min). */
  leaseMs?: number;
  /** Failed deliveries before a check-in is given up (default 5). */
  maxFailures?: number;
  /** The first wait after a failed delivery; each next one four times longer, at most 6 h (default 60 s). */
  backoffMs?: number;
  /** Sent and cancelled jobs are deleted after this many days (default 30). */
  keepFinishedDays?: number;
  log?: Log;
}

export interface ConsentInput {
  addressKey: string;
  /** The channel the yes came on (activity.channelId). */
  channel: string;
  lang: Lang;
  /** The IANA zone the channel reported; the clinic's is used when missing or unknown. */
  timeZone?: string;
  /** The treatment day in the patient's calendar, YYYY-MM-DD. */
  treatmentDate: string;
  program?: FollowupProgram;
}

export interface ConsentResult {
  consent: FollowupConsent;
  scheduled: { jobId: string; day: number; dueAt: string }[];
  /** Days whose time had already passed: not sent late. */
  passed: number[];
}

export type RunSummary = Record<JobResult, number>;

export class FollowupInputError extends Error {
  override readonly name = 'FollowupInputError';
}

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

const everyInterval: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export class FollowupScheduler {
  private readonly jobs: FollowupJobs;
  private readonly consents: FollowupConsents;
  private readonly sender: FollowupSender;
  private readonly now: () => Date;
  private running?: Promise<RunSummary>;
  private cancelTimer?: () => void;
  private stopped = false;
  private lastPrune = 0;

  constructor(private readonly options: FollowupSchedulerOptions) {
    this.jobs = new FollowupJobs(options.store, options.catalog);
    this.consents = new FollowupConsents(options.store, options.catalog);
    this.now = options.now ?? (() => new Date());
    this.sender = new FollowupSender(this.jobs, this.consents, {
      messenger: options.messenger,
      content: options.content,
      owner: options.owner,
      now: this.now,
      leaseMs: options.leaseMs ?? 5 * 60_000,
      maxFailures: options.maxFailures ?? 5,
      backoffMs: options.backoffMs ?? 60_000,
      log: options.log,
    });
  }

  /** Records the patient's explicit yes and plans the program's check-ins (a repeat plans nothing twice). */
  async consent(input: ConsentInput): Promise<ConsentResult> {
    if (!fromIso(input.treatmentDate)) throw new FollowupInputError('treatmentDate must be a YYYY-MM-DD date');
    const content = this.options.content();
    const program = input.program ?? 'aftercare';
    const timeZone = zoneFor(input.timeZone, content.clinic.timeZone);
    const at = this.now();
    const { planned, passed } = planCheckIns(content.followups, input.treatmentDate, timeZone, at);
    const ids = planned.map((p) => FollowupJobs.idOf(input.addressKey, program, input.treatmentDate, p.day));
    // The consent (with the job ids) first: "forget me" finds every job even if we stop half-way.
    const { consent, previous } = await this.consents.record({ ...input, program, timeZone, jobIds: ids }, at);
    // Another treatment date: the check-ins of the old one that have not gone yet are cancelled.
    if (previous && previous.treatmentDate !== input.treatmentDate) {
      for (const old of previous.jobIds) if (!ids.includes(old)) await this.sender.cancelJob(old, 'rescheduled');
    }
    const fresh = planned.map((p, n): FollowupJob => ({
      jobId: ids[n],
      addressKey: input.addressKey,
      program,
      treatmentDate: input.treatmentDate,
      day: p.day,
      lang: input.lang,
      timeZone,
      status: 'scheduled',
      dueAt: p.dueAt.toISOString(),
      expiresAt: p.expiresAt.toISOString(),
      attempts: 0,
      failures: 0,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    }));
    const scheduled: ConsentResult['scheduled'] = [];
    for (const [n, { job, created }] of (await this.jobs.create(fresh)).entries()) {
      // Said yes again: an unsent job follows the latest answer (language, zone; again if it was stopped).
      const kept = created ? job : await this.jobs.update(job.jobId, (j) => this.replanned(j, fresh[n], at));
      if (kept?.status === 'scheduled') scheduled.push({ jobId: kept.jobId, day: kept.day, dueAt: kept.dueAt });
    }
    this.options.log?.info({ event: 'followup-consent', program, jobs: scheduled.length, passed: passed.length });
    return { consent, scheduled, passed };
  }

  /** The patient said stop: consent withdrawn, everything scheduled cancelled. Returns how many were cancelled. */
  async optOut(addressKey: string): Promise<number> {
    await this.consents.withdraw(addressKey, this.now());
    return this.cancelFor(addressKey, 'opted-out');
  }

  /** Cancels every check-in still scheduled for the patient, recording why. Returns how many. */
  async cancelFor(addressKey: string, reason: CancelReason): Promise<number> {
    return this.sender.cancelFor(addressKey, reason);
  }

  /** "Forget me": the consent and every job of the patient, sent or not, are deleted. */
  async forget(addressKey: string): Promise<void> {
    const ids = await this.sender.jobIdsOf(addressKey, true);
    // The consent first: a send under way elsewhere then finds no consent and does not go.
    await this.consents.forget(addressKey);
    await this.jobs.remove(ids);
  }

  async consentOf(addressKey: string): Promise<FollowupConsent | undefined> {
    return this.consents.get(addressKey);
  }

  /** Follow-ups scheduled and sent on each of the clinic's next `days` days (the console's view). */
  async forecast(days = 7): Promise<FollowupForecast> {
    return forecastOf(await this.jobs.readIndex(), this.now(), this.options.content().clinic.timeZone, days);
  }

  /** Starts polling (and looks once right away, for jobs due while no instance ran). */
  start(): void {
    if (this.cancelTimer) return;
    this.stopped = false;
    this.cancelTimer = (this.options.every ?? everyInterval)(this.options.pollMs ?? 60_000, () => void this.runDue());
    void this.runDue();
  }

  /** Stops polling and waits for the pass under way; a job it holds is freed when its lease expires. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.running;
  }

  /** One pass over the jobs that are due; never two at once in one instance. */
  runDue(): Promise<RunSummary> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<RunSummary> {
    const summary: RunSummary = {
      sent: 0,
      'not-due': 0,
      taken: 0,
      'quiet-hours': 0,
      'one-a-day': 0,
      retry: 0,
      cancelled: 0,
      gone: 0,
    };
    try {
      const at = this.now().toISOString();
      const due = (await this.jobs.readIndex()).active.filter((e) => e.dueAt <= at);
      due.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      for (const entry of due) {
        if (this.stopped) break;
        try {
          summary[await this.sender.process(entry.id)] += 1;
        } catch (err) {
          this.options.log?.error({ event: 'followup-job-failed', jobId: entry.id, error: describeError(err) });
        }
      }
      if (this.now().getTime() - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = this.now().getTime();
        const keepMs = (this.options.keepFinishedDays ?? 30) * DAY_MS;
        await this.jobs.prune(new Date(this.now().getTime() - keepMs).toISOString());
      }
    } catch (err) {
      this.options.log?.error(
        { event: 'followup-pass-failed', error: describeError(err) },
        'could not look for due check-ins',
      );
    }
    return summary;
  }

  /** A job planned again by a new yes: unsent ones follow it unless a send is under way. */
  private replanned(existing: FollowupJob, fresh: FollowupJob, at: Date): FollowupJob | undefined {
    if (existing.status === 'sent' || (existing.lease && existing.lease.until > at.toISOString())) return undefined;
    const same =
      existing.status === 'scheduled' && existing.lang === fresh.lang && existing.timeZone === fresh.timeZone;
    if (same && existing.dueAt === fresh.dueAt) return undefined;
    const { cancelledAt: _c, cancelReason: _r, lease: _l, lastError: _e, ...rest } = existing;
    return { ...rest, ...fresh, attempts: existing.attempts, createdAt: existing.createdAt };
  }
}

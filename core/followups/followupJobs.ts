import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isETagConflict, KeyValueStore, StoreItem } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';

export const FOLLOWUP_PROGRAMS = ['aftercare'] as const;
export type FollowupProgram = (typeof FOLLOWUP_PROGRAMS)[number];

/** scheduled: waiting or being sent (a lease says who sends it); sent: delivered; cancelled: will never go. */
export const FOLLOWUP_STATUSES = ['scheduled', 'sent', 'cancelled'] as const;
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];

export const CANCEL_REASONS = [
  /** The patient said stop. */
  'opted-out',
  /** The channel refused for good (the app was removed or blocked, the conversation is gone). */
  'stopped-forbidden',
  'stopped-not-found',
  /** No address is kept for the conversation any more (forgotten, or swept by retention). */
  'no-address',
  /** Failed every attempt allowed. */
  'failed',
  /** Could not go out before the end of the day after its own: a late "day 1" message would confuse. */
  'expired',
  /** The patient gave another treatment date: the check-ins of the old one go. */
  'rescheduled',
  /** Staff removed that day's check-in from content/followups.yaml. */
  'not-in-content',
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const FollowupJobSchema = z.object({
  jobId: z.string(),
  addressKey: z.string(),
  program: z.enum(FOLLOWUP_PROGRAMS),
  /** The patient's treatment day (day 0) in their own calendar. */
  treatmentDate: isoDay,
  /** The check-in's day after treatment (content/followups.yaml `day`). */
  day: z.number().int().min(0),
  lang: z.enum(['en', 'es']),
  /** The zone its sending hours are judged in: the patient's, or the clinic's when unknown. */
  timeZone: z.string(),
  status: z.enum(FOLLOWUP_STATUSES),
  /** Not sent before this time (planned time, quiet hours, backoff; survives a restart). */
  dueAt: z.iso.datetime(),
  /** Not sent from this time on. */
  expiresAt: z.iso.datetime(),
  /** Deliveries started, by all instances together. */
  attempts: z.number().int().min(0),
  /** Deliveries that failed ('failed' outcomes): bounded by the scheduler's maxFailures. */
  failures: z.number().int().min(0),
  /** The instance sending it now; others leave it alone until `until`. */
  lease: z.object({ owner: z.string(), until: z.iso.datetime() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  sentAt: z.iso.datetime().optional(),
  /** How the channel took it: sent, or kept in the web chat's transcript. */
  delivery: z.enum(['sent', 'kept']).optional(),
  cancelledAt: z.iso.datetime().optional(),
  cancelReason: z.enum(CANCEL_REASONS).optional(),
  /** Why the last attempt did not go ("throttled", a short error name), never a message text. */
  lastError: z.string().max(200).optional(),
});
export type FollowupJob = z.infer<typeof FollowupJobSchema>;

/** What the index keeps of a job: enough to find due work and draw the console's forecast without reading each job. */
const IndexEntrySchema = z.object({
  id: z.string(),
  addressKey: z.string(),
  program: z.enum(FOLLOWUP_PROGRAMS),
  day: z.number().int(),
  status: z.enum(FOLLOWUP_STATUSES),
  dueAt: z.iso.datetime(),
  /** When it was sent or cancelled. */
  at: z.iso.datetime().optional(),
});
export type FollowupIndexEntry = z.infer<typeof IndexEntrySchema>;

const IndexSchema = z.object({
  /** Scheduled jobs (the work list). A hint: the job record decides, and a stale entry is mended when read. */
  active: z.array(IndexEntrySchema).default([]),
  /** Jobs sent or cancelled lately, for the forecast; pruned with their records after a while. */
  finished: z.array(IndexEntrySchema).default([]),
});
export type FollowupIndex = z.infer<typeof IndexSchema>;

const JOB_PREFIX = 'followups/jobs/';
const INDEX_KEY = 'followups/index';
/** Each conflict means another write won: enough rounds for many instances writing at once. */
const MAX_CONFLICT_RETRIES = 100;

export class FollowupStoreError extends Error {
  override readonly name = 'FollowupStoreError';
}

/**
 * The check-in jobs on any botbuilder-compatible store, like the booking outbox: one record per
 * job, every change an eTag-checked read-modify-write, and an index document because plain
 * Storage cannot list keys. First writes are create-only through the catalog (sqlite and Azure
 * Blob both have it), so two instances scheduling the same job keep one.
 */
export class FollowupJobs {
  constructor(
    private readonly store: KeyValueStore,
    private readonly catalog: Pick<StoreCatalog, 'createIfAbsent'>,
  ) {}

  /** The same id for the same patient, program, treatment and day on every instance: scheduling twice keeps one job. */
  static idOf(addressKey: string, program: FollowupProgram, treatmentDate: string, day: number): string {
    return createHash('sha256')
      .update(`${addressKey}\n${program}\n${treatmentDate}\n${day}`)
      .digest('base64url')
      .slice(0, 32);
  }

  static key(jobId: string): string {
    return JOB_PREFIX + jobId;
  }

  /**
   * Keeps new jobs (one index write for all of them); one that exists already is returned
   * unchanged, with `created` false.
   */
  async create(jobs: readonly FollowupJob[]): Promise<{ job: FollowupJob; created: boolean }[]> {
    const valid = jobs.map((j) => FollowupJobSchema.parse(j));
    // Index first: a crash in between leaves an entry without a record (dropped when read), never a lost job.
    await this.updateIndex((index) => {
      const listed = new Set([...index.active, ...index.finished].map((e) => e.id));
      const added = valid.filter((j) => !listed.has(j.jobId)).map(entryOf);
      return added.length === 0 ? undefined : { ...index, active: [...index.active, ...added] };
    });
    const results: { job: FollowupJob; created: boolean }[] = [];
    for (const job of valid) {
      if (await this.catalog.createIfAbsent(FollowupJobs.key(job.jobId), stripUndefined(job))) {
        results.push({ job, created: true });
        continue;
      }
      const existing = await this.get(job.jobId);
      if (!existing) throw new FollowupStoreError(`job ${job.jobId} exists but cannot be read`);
      results.push({ job: existing.job, created: false });
    }
    const kept = results.filter((r) => !r.created).map((r) => r.job);
    if (kept.length > 0) await this.syncIndex(kept);
    return results;
  }

  async get(jobId: string): Promise<{ job: FollowupJob; eTag?: string } | undefined> {
    const key = FollowupJobs.key(jobId);
    const item = (await this.store.read([key]))[key];
    if (!item) return undefined;
    const { eTag, ...rest } = item;
    const parsed = FollowupJobSchema.safeParse(rest);
    return parsed.success ? { job: parsed.data, eTag } : undefined;
  }

  /** Writes the job only if it is unchanged since read with `eTag`; false when another instance changed it first. */
  async replace(job: FollowupJob, eTag: string | undefined): Promise<boolean> {
    try {
      await this.store.write({ [FollowupJobs.key(job.jobId)]: { ...stripUndefined(job), eTag } });
    } catch (err) {
      if (isETagConflict(err)) return false;
      throw err;
    }
    return true;
  }

  /**
   * eTag-checked read-modify-write of one job, then its index entry; `change` returns undefined for
   * "nothing to do". Never creates: a forgotten job stays forgotten.
   */
  async update(jobId: string, change: (job: FollowupJob) => FollowupJob | undefined): Promise<FollowupJob | undefined> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const found = await this.get(jobId);
      if (!found) return undefined;
      const next = change(found.job);
      if (!next) return found.job;
      if (await this.replace(next, found.eTag)) {
        await this.syncIndex([next]);
        return next;
      }
    }
    throw new FollowupStoreError(`could not update follow-up job ${jobId}: too many concurrent changes`);
  }

  async readIndex(): Promise<FollowupIndex> {
    return (await this.readIndexWithTag()).index;
  }

  /** Brings index entries in line with their records: a job that left `scheduled` moves to `finished`. */
  async syncIndex(jobs: readonly FollowupJob[]): Promise<void> {
    const byId = new Map(jobs.map((j) => [j.jobId, entryOf(j)]));
    await this.updateIndex((index) => {
      const stale = (e: FollowupIndexEntry): boolean => {
        const fresh = byId.get(e.id);
        return fresh !== undefined && !sameEntry(fresh, e);
      };
      const listed = new Set([...index.active, ...index.finished].map((e) => e.id));
      const missing = [...byId.values()].filter((e) => !listed.has(e.id));
      if (!index.active.some(stale) && !index.finished.some(stale) && missing.length === 0) return undefined;
      const seen = new Set<string>();
      const all = [...index.active, ...index.finished, ...missing]
        .filter((e) => !seen.has(e.id) && Boolean(seen.add(e.id)))
        .map((e) => byId.get(e.id) ?? e);
      return {
        active: all.filter((e) => e.status === 'scheduled'),
        finished: all.filter((e) => e.status !== 'scheduled'),
      };
    });
  }

  /** Drops ids from the index (their records are gone or unreadable). */
  async unindex(jobIds: readonly string[]): Promise<void> {
    const gone = new Set(jobIds);
    await this.updateIndex((index) =>
      [...index.active, ...index.finished].some((e) => gone.has(e.id))
        ? {
            active: index.active.filter((e) => !gone.has(e.id)),
            finished: index.finished.filter((e) => !gone.has(e.id)),
          }
        : undefined,
    );
  }

  /** Deletes jobs and their index entries ("forget me", and finished jobs past keeping). */
  async remove(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.store.delete(jobIds.map((id) => FollowupJobs.key(id)));
    await this.unindex(jobIds);
  }

  /** Deletes jobs finished (sent or cancelled) before `before`: the forecast no longer shows them. */
  async prune(before: string): Promise<number> {
    const old = (await this.readIndex()).finished.filter((e) => (e.at ?? e.dueAt) < before).map((e) => e.id);
    if (old.length === 0) return 0;
    const items = await this.store.read(old.map((id) => FollowupJobs.key(id)));
    // A job scheduled again since (the patient said yes once more) is kept.
    const done = old.filter((id) => items[FollowupJobs.key(id)]?.status !== 'scheduled');
    await this.remove(done);
    return done.length;
  }

  private async readIndexWithTag(): Promise<{ index: FollowupIndex; eTag?: string }> {
    const item: StoreItem | undefined = (await this.store.read([INDEX_KEY]))[INDEX_KEY];
    if (!item) return { index: { active: [], finished: [] } };
    const { eTag, ...rest } = item;
    return { index: IndexSchema.parse(rest), eTag };
  }

  private async updateIndex(change: (index: FollowupIndex) => FollowupIndex | undefined): Promise<void> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { index, eTag } = await this.readIndexWithTag();
      const next = change(index);
      if (!next) return;
      if (eTag === undefined) {
        // The first index: create-only, so two instances starting it at once never overwrite each other.
        if (await this.catalog.createIfAbsent(INDEX_KEY, next)) return;
        continue;
      }
      try {
        await this.store.write({ [INDEX_KEY]: { ...next, eTag } });
        return;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    throw new FollowupStoreError('could not update the follow-up index: too many concurrent changes');
  }
}

function entryOf(job: FollowupJob): FollowupIndexEntry {
  const at = job.status === 'sent' ? job.sentAt : job.status === 'cancelled' ? job.cancelledAt : undefined;
  const entry: FollowupIndexEntry = {
    id: job.jobId,
    addressKey: job.addressKey,
    program: job.program,
    day: job.day,
    status: job.status,
    dueAt: job.dueAt,
  };
  return at === undefined ? entry : { ...entry, at };
}

function sameEntry(a: FollowupIndexEntry, b: FollowupIndexEntry): boolean {
  return (
    a.id === b.id &&
    a.addressKey === b.addressKey &&
    a.program === b.program &&
    a.day === b.day &&
    a.status === b.status &&
    a.dueAt === b.dueAt &&
    a.at === b.at
  );
}

/** Stores keep JSON: an `undefined` field is dropped rather than written. */
function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

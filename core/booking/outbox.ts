import { z } from 'zod';
import { isETagConflict, KeyValueStore, StoreItem } from '../storage/keyValueStore';
import { BookingRequest, BookingRequestSchema } from './bookingRequest';

/**
 * pending: kept, not yet accepted by the clinic's system (or no system is configured);
 * held: older than the configured age when a booking system was first configured, so it waits
 * for staff to release it (never sent by surprise); delivered: the endpoint accepted it (2xx);
 * rejected: the endpoint refused it for good (4xx), so it is flagged for staff and never retried blindly.
 */
export const BOOKING_STATUSES = ['pending', 'held', 'delivered', 'rejected'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** The clinic's booking system confirmed, declined or moved a request. */
export const CLINIC_STATUSES = ['confirmed', 'declined', 'rescheduled'] as const;
const CLINIC_UPDATES_KEPT = 20;

export const ClinicUpdateSchema = z.object({
  status: z.enum(CLINIC_STATUSES),
  when: z.iso.datetime({ offset: true }).optional(),
  message: z.string().max(500).optional(),
  receivedAt: z.iso.datetime(),
  /** SHA-256 of the signed body: the same call made again is a repeat and changes nothing. */
  bodyHash: z.string().max(64),
});
export type ClinicUpdate = z.infer<typeof ClinicUpdateSchema>;

export const OutboxRecordSchema = z.object({
  request: BookingRequestSchema,
  status: z.enum(BOOKING_STATUSES),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Delivery attempts started so far (all instances together). */
  attempts: z.number().int().min(0),
  /** Not retried before this time (the backoff survives a restart). */
  nextAttemptAt: z.iso.datetime().optional(),
  /** The instance delivering it right now; others leave it alone until `until`. */
  lease: z.object({ owner: z.string(), until: z.iso.datetime() }).optional(),
  /** Why the last attempt failed ("HTTP 503", "timeout", "network"), never a response body. */
  lastError: z.string().max(200).optional(),
  lastStatusCode: z.number().int().optional(),
  reference: z.string().optional(),
  deliveredAt: z.iso.datetime().optional(),
  rejectedAt: z.iso.datetime().optional(),
  /** Staff dealt with it (called the patient, or booked it by hand). */
  handledAt: z.iso.datetime().optional(),
  /** When it was held for staff, and when staff released it to the booking system. */
  heldAt: z.iso.datetime().optional(),
  releasedAt: z.iso.datetime().optional(),
  /** The patient's conversation (a PatientAddresses key) told when the clinic's system answers; never sent to it. */
  replyTo: z.string().max(64).optional(),
  /** What the clinic's booking system said of the request since (POST /api/bookings/{requestId}/status). */
  clinicUpdates: z.array(ClinicUpdateSchema).max(CLINIC_UPDATES_KEPT).optional(),
});
export type OutboxRecord = z.infer<typeof OutboxRecordSchema>;

const IndexSchema = z.object({
  /** Requests that still need someone: pending (the relay's work list), held and rejected (staff's). */
  active: z.array(z.string()).default([]),
  /** The latest requests that left `active`, newest last, for the staff listing. */
  recent: z.array(z.string()).default([]),
});
type Index = z.infer<typeof IndexSchema>;

/** Whether a booking system was ever configured for this outbox, and since when. */
const EndpointMarkSchema = z.object({ firstConfiguredAt: z.iso.datetime() });

const RECORD_PREFIX = 'bookings/requests/';
const INDEX_KEY = 'bookings/index';
const ENDPOINT_KEY = 'bookings/endpoint';
const RECENT_KEPT = 500;
const MAX_CONFLICT_RETRIES = 20;

export class OutboxError extends Error {
  override readonly name = 'OutboxError';
}

/**
 * Durable booking requests on any botbuilder-compatible store. Every change is an eTag-checked
 * read-modify-write, so several instances sharing one store never lose or double an update; an
 * index document lists the requests that still need work, because the Storage interface cannot
 * list keys.
 */
export class BookingOutbox {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static recordKey(requestId: string): string {
    return `${RECORD_PREFIX}${requestId}`;
  }

  /**
   * Keeps a new request (idempotent: the same requestId returns the record already kept);
   * `replyTo` is the patient's conversation, told when the clinic's system answers.
   */
  async add(request: BookingRequest, replyTo?: string): Promise<OutboxRecord> {
    const valid = BookingRequestSchema.parse(request);
    const existing = await this.get(valid.requestId);
    if (existing) return existing;
    const at = this.now().toISOString();
    const record: OutboxRecord = {
      request: valid,
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      attempts: 0,
      ...(replyTo ? { replyTo } : {}),
    };
    // Index first, then the record: a crash in between leaves an index entry without data (skipped
    // by every reader), never a kept request that the relay cannot find.
    await this.updateIndex((index) =>
      index.active.includes(valid.requestId) ? undefined : { ...index, active: [...index.active, valid.requestId] },
    );
    await this.verifyIndexed(valid.requestId);
    try {
      await this.store.write({ [BookingOutbox.recordKey(valid.requestId)]: { ...record } });
    } catch (err) {
      // A store that creates only if absent: another instance kept the same request first.
      const kept = isETagConflict(err) ? await this.get(valid.requestId) : undefined;
      if (!kept) throw err;
      return kept;
    }
    return record;
  }

  async get(requestId: string): Promise<OutboxRecord | undefined> {
    return (await this.getWithTag(requestId))?.record;
  }

  /** Records still needing work or staff attention, oldest first. */
  async active(): Promise<OutboxRecord[]> {
    return this.readMany((await this.readIndex()).index.active);
  }

  /** Active records and the latest finished ones, oldest first (the staff listing). */
  async listing(): Promise<OutboxRecord[]> {
    const { index } = await this.readIndex();
    const records = await this.readMany([...index.recent, ...index.active]);
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Pending requests whose backoff has passed and that nobody holds a lease on. */
  async due(): Promise<OutboxRecord[]> {
    const at = this.now().toISOString();
    return (await this.active()).filter(
      (r) => r.status === 'pending' && (r.nextAttemptAt ?? '') <= at && (!r.lease || r.lease.until <= at),
    );
  }

  /**
   * Takes the request for one delivery attempt: counts the attempt and holds a lease on it.
   * Returns undefined when it is not pending, or another instance holds it (the eTag decides
   * between two instances trying at once).
   */
  async claim(
    requestId: string,
    owner: string,
    leaseMs: number,
    ignoreBackoff = false,
  ): Promise<OutboxRecord | undefined> {
    const found = await this.getWithTag(requestId);
    if (!found) return undefined;
    const { record, eTag } = found;
    const at = this.now();
    const iso = at.toISOString();
    if (record.status !== 'pending') return undefined;
    if (record.lease && record.lease.owner !== owner && record.lease.until > iso) return undefined;
    if (!ignoreBackoff && record.nextAttemptAt && record.nextAttemptAt > iso) return undefined;
    const claimed: OutboxRecord = {
      ...record,
      attempts: record.attempts + 1,
      updatedAt: iso,
      lease: { owner, until: new Date(at.getTime() + leaseMs).toISOString() },
    };
    try {
      await this.store.write({ [BookingOutbox.recordKey(requestId)]: { ...claimed, eTag } });
    } catch (err) {
      if (isETagConflict(err)) return undefined;
      throw err;
    }
    return claimed;
  }

  /** The endpoint accepted the request. */
  async markDelivered(requestId: string, reference: string | undefined): Promise<OutboxRecord | undefined> {
    const at = this.now().toISOString();
    const record = await this.update(requestId, (r) =>
      r.status === 'delivered'
        ? undefined
        : {
            ...r,
            status: 'delivered',
            reference,
            deliveredAt: at,
            updatedAt: at,
            lease: undefined,
            lastError: undefined,
            nextAttemptAt: undefined,
          },
    );
    await this.retire(requestId);
    return record;
  }

  /** The endpoint refused the request for good: kept and flagged for staff, never retried. */
  async markRejected(requestId: string, statusCode: number): Promise<OutboxRecord | undefined> {
    const at = this.now().toISOString();
    return this.update(requestId, (r) =>
      r.status !== 'pending'
        ? undefined
        : {
            ...r,
            status: 'rejected',
            rejectedAt: at,
            updatedAt: at,
            lastStatusCode: statusCode,
            lastError: `HTTP ${statusCode}`,
            lease: undefined,
            nextAttemptAt: undefined,
          },
    );
  }

  /** A delivery chain gave up for now: free the lease and try again after `retryAt`. */
  async releaseLease(
    requestId: string,
    owner: string,
    failure: { error: string; statusCode?: number; retryAt: Date },
  ): Promise<void> {
    const at = this.now().toISOString();
    await this.update(requestId, (r) =>
      r.status !== 'pending' || (r.lease && r.lease.owner !== owner)
        ? undefined
        : {
            ...r,
            updatedAt: at,
            lease: undefined,
            lastError: failure.error,
            lastStatusCode: failure.statusCode,
            nextAttemptAt: failure.retryAt.toISOString(),
          },
    );
  }

  /** Counts a retry, noting why the previous attempt failed, and renews the lease. */
  async noteFailure(
    requestId: string,
    owner: string,
    error: string,
    statusCode: number | undefined,
    leaseMs: number,
  ): Promise<void> {
    const at = this.now();
    await this.update(requestId, (r) =>
      r.status !== 'pending' || r.lease?.owner !== owner
        ? undefined
        : {
            ...r,
            attempts: r.attempts + 1,
            updatedAt: at.toISOString(),
            lastError: error,
            lastStatusCode: statusCode,
            lease: { owner, until: new Date(at.getTime() + leaseMs).toISOString() },
          },
    );
  }

  /**
   * The first time a booking system is configured for this outbox, pending requests older than
   * `olderThanMs` are held for staff instead of being sent by surprise. Recorded in the store, so
   * it happens once; an outbox that already delivered or had refused requests (kept before this
   * was recorded) has had a booking system. `olderThanMs` 0 holds none.
   */
  async holdOldOnFirstEndpoint(olderThanMs: number): Promise<{ first: boolean; held: number }> {
    const mark = (await this.store.read([ENDPOINT_KEY]))[ENDPOINT_KEY];
    if (mark && EndpointMarkSchema.safeParse(mark).success) return { first: false, held: 0 };
    const records = await this.listing();
    const hadEndpoint = records.some((r) => r.attempts > 0 || r.status === 'delivered' || r.status === 'rejected');
    let held = 0;
    if (!hadEndpoint && olderThanMs > 0) {
      const at = this.now();
      const cutoff = new Date(at.getTime() - olderThanMs).toISOString();
      for (const record of records) {
        if (record.status !== 'pending' || record.handledAt !== undefined || record.createdAt >= cutoff) continue;
        let holdsIt = false;
        await this.update(record.request.requestId, (r) => {
          holdsIt = r.status === 'pending' && r.attempts === 0 && r.handledAt === undefined;
          return holdsIt ? { ...r, status: 'held', heldAt: at.toISOString(), updatedAt: at.toISOString() } : undefined;
        });
        if (holdsIt) held++;
      }
    }
    // Marked last: a crash before this runs the whole check again, and holding is idempotent.
    try {
      await this.store.write({ [ENDPOINT_KEY]: { firstConfiguredAt: this.now().toISOString() } });
    } catch (err) {
      // Another instance marked it first (a store that creates only if absent says so).
      if (!isETagConflict(err)) throw err;
    }
    return { first: !hadEndpoint, held };
  }

  /**
   * Staff release a held request: it becomes pending and the relay sends it on its next pass.
   * Returns the record (unchanged when it was not held, or staff already handled it), or
   * undefined when there is none.
   */
  async release(requestId: string): Promise<OutboxRecord | undefined> {
    const at = this.now().toISOString();
    return this.update(requestId, (r) =>
      r.status !== 'held' || r.handledAt !== undefined
        ? undefined
        : { ...r, status: 'pending', releasedAt: at, updatedAt: at, nextAttemptAt: undefined, lease: undefined },
    );
  }

  /**
   * Staff send a rejected request again, after the clinic fixed what made its booking system
   * refuse it: it becomes pending with a fresh count of attempts. Unchanged unless rejected and unhandled.
   */
  async requeue(requestId: string): Promise<OutboxRecord | undefined> {
    const at = this.now().toISOString();
    const record = await this.update(requestId, (r) =>
      r.status !== 'rejected' || r.handledAt
        ? undefined
        : {
            ...r,
            status: 'pending',
            attempts: 0,
            rejectedAt: undefined,
            updatedAt: at,
            nextAttemptAt: undefined,
            lease: undefined,
          },
    );
    if (record?.status === 'pending')
      await this.updateIndex((index) =>
        index.active.includes(requestId)
          ? undefined
          : { active: [...index.active, requestId], recent: index.recent.filter((id) => id !== requestId) },
      );
    return record;
  }

  /** Staff dealt with a request by hand (no endpoint configured, or a rejected one). */
  async markHandled(requestId: string): Promise<OutboxRecord | undefined> {
    const at = this.now().toISOString();
    const record = await this.update(requestId, (r) =>
      r.handledAt ? undefined : { ...r, handledAt: at, updatedAt: at },
    );
    if (record) await this.retire(requestId);
    return record;
  }

  /**
   * The clinic's system says what became of a request. The same body again is a repeat (nothing
   * changes); undefined when there is no such request. A request still waiting to be delivered
   * plainly reached the clinic: it counts as delivered from now on.
   */
  async recordClinicUpdate(
    requestId: string,
    update: Omit<ClinicUpdate, 'receivedAt'>,
  ): Promise<{ record: OutboxRecord; repeat: boolean } | undefined> {
    const at = this.now().toISOString();
    let repeat = false;
    const record = await this.update(requestId, (r) => {
      repeat = (r.clinicUpdates ?? []).some((u) => u.bodyHash === update.bodyHash);
      if (repeat) return undefined;
      const reached = r.status === 'pending' || r.status === 'held' || r.status === 'rejected';
      return {
        ...r,
        ...(reached
          ? { status: 'delivered' as const, deliveredAt: at, lease: undefined, nextAttemptAt: undefined }
          : {}),
        updatedAt: at,
        clinicUpdates: [...(r.clinicUpdates ?? []), { ...update, receivedAt: at }].slice(-CLINIC_UPDATES_KEPT),
      };
    });
    if (!record) return undefined;
    if (!repeat) await this.retire(requestId);
    return { record, repeat };
  }

  /** Forgets a request entirely (the patient asked, and it never reached the clinic). */
  async remove(requestId: string): Promise<void> {
    await this.store.delete([BookingOutbox.recordKey(requestId)]);
    await this.updateIndex((index) => ({
      active: index.active.filter((id) => id !== requestId),
      recent: index.recent.filter((id) => id !== requestId),
    }));
  }

  /** Ids of the requests still needing work or staff (pending, held, rejected): retention never deletes these. */
  async activeIds(): Promise<ReadonlySet<string>> {
    return new Set((await this.readIndex()).index.active);
  }

  /** Drops requests whose records retention deleted from the staff listing (never an active one). */
  async unlist(requestIds: readonly string[]): Promise<void> {
    const gone = new Set(requestIds);
    await this.updateIndex((index) =>
      index.recent.some((id) => gone.has(id))
        ? { ...index, recent: index.recent.filter((id) => !gone.has(id)) }
        : undefined,
    );
  }

  private async retire(requestId: string): Promise<void> {
    await this.updateIndex((index) =>
      index.active.includes(requestId) || !index.recent.includes(requestId)
        ? {
            active: index.active.filter((id) => id !== requestId),
            recent: [...index.recent.filter((id) => id !== requestId), requestId].slice(-RECENT_KEPT),
          }
        : undefined,
    );
  }

  private async getWithTag(requestId: string): Promise<{ record: OutboxRecord; eTag?: string } | undefined> {
    const key = BookingOutbox.recordKey(requestId);
    const item = (await this.store.read([key]))[key];
    if (!item) return undefined;
    const { eTag, ...rest } = item;
    return { record: OutboxRecordSchema.parse(rest), eTag };
  }

  private async readMany(ids: readonly string[]): Promise<OutboxRecord[]> {
    if (ids.length === 0) return [];
    const items = await this.store.read(ids.map((id) => BookingOutbox.recordKey(id)));
    return ids.flatMap((id) => {
      const item = items[BookingOutbox.recordKey(id)];
      if (!item) return [];
      const { eTag: _eTag, ...rest } = item;
      const parsed = OutboxRecordSchema.safeParse(rest);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** eTag-checked read-modify-write of one record; `change` returns undefined for "nothing to do". */
  private async update(
    requestId: string,
    change: (r: OutboxRecord) => OutboxRecord | undefined,
  ): Promise<OutboxRecord | undefined> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const found = await this.getWithTag(requestId);
      if (!found) return undefined;
      const next = change(found.record);
      if (!next) return found.record;
      try {
        await this.store.write({ [BookingOutbox.recordKey(requestId)]: { ...stripUndefined(next), eTag: found.eTag } });
        return next;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    throw new OutboxError(`could not update booking request ${requestId}: too many concurrent changes`);
  }

  private async readIndex(): Promise<{ index: Index; eTag?: string }> {
    const item: StoreItem | undefined = (await this.store.read([INDEX_KEY]))[INDEX_KEY];
    if (!item) return { index: { active: [], recent: [] } };
    const { eTag, ...rest } = item;
    return { index: IndexSchema.parse(rest), eTag };
  }

  private async updateIndex(change: (index: Index) => Index | undefined): Promise<void> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { index, eTag } = await this.readIndex();
      const next = change(index);
      if (!next) return;
      try {
        await this.store.write({ [INDEX_KEY]: { ...next, eTag } });
        return;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    throw new OutboxError('could not update the booking index: too many concurrent changes');
  }

  /**
   * The very first index write has no eTag to check (stores such as BlobsStorage cannot
   * "create only if absent"), so two first requests at once could overwrite each other's entry:
   * read it back and add the id again until it is there.
   */
  private async verifyIndexed(requestId: string): Promise<void> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { index } = await this.readIndex();
      if (index.active.includes(requestId) || index.recent.includes(requestId)) return;
      await this.updateIndex((idx) =>
        idx.active.includes(requestId) ? undefined : { ...idx, active: [...idx.active, requestId] },
      );
    }
    throw new OutboxError(`could not index booking request ${requestId}`);
  }
}

/** Stores keep JSON: an `undefined` field is dropped rather than written. */
function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

import { z } from 'zod';
import { BookingOutbox, OutboxRecordSchema } from '../booking/outbox';
import { dayOfGapKey } from '../gaps/storeGapStore';
import { KeyValueStore, StoreItems } from '../storage/keyValueStore';
import { CatalogEntry, StoreCatalog, yieldToEventLoop } from '../storage/storeCatalog';
import { SweepLease } from './sweepLease';

/** RETENTION_CONVERSATION_DAYS, RETENTION_BOOKING_DAYS, RETENTION_GAPS_DAYS when unset (README says why). */
export const DEFAULT_RETENTION_DAYS = { conversation: 30, booking: 90, gaps: 180 } as const;

export interface RetentionPolicy {
  /** Conversation state, the user state of its patient and chat transcripts: days without activity. */
  conversationDays: number;
  /** Booking records: days after they were delivered or handled (never while still active). */
  bookingDays: number;
  /** Gap-log buckets: days after the day they hold. */
  gapsDays: number;
}

export const RETENTION_KINDS = [
  'conversation',
  'user',
  'transcript',
  'booking',
  'gaps',
  'staff-session',
  'contact',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface SweepResult {
  /** Keys this sweep deleted (each deleted by one sweep only: deletes are eTag-conditional). */
  deleted: string[];
  counts: Record<RetentionKind, number>;
  /** Past their time but kept: still active, changed since listed, or deleted by someone else. */
  kept: number;
  /** Stopped early (shutdown, or the lease was lost): the rest waits for the next sweep. */
  interrupted: boolean;
}

export interface RetentionSweepOptions {
  /** This instance, as written in the lease. */
  owner: string;
  now?: () => Date;
  /** A sweep runs at most this often across all instances. */
  everyMs?: number;
  /** How long one claim of the lease lasts; renewed between phases of a long sweep. */
  leaseMs?: number;
}

const DAY_MS = 86_400_000;
const LEASE_KEY = 'retention/lease';
const BOOKING_PREFIX = 'bookings/requests/';
const TRANSCRIPT_PREFIX = 'directline/transcript/';
const ACTIVITY_PREFIX = 'directline/activity/';
/** Staff sessions and Entra sign-ins under way: expired long before this (72 h at most), kept by nobody. */
const STAFF_SESSION_PREFIXES = ['staff/session/', 'staff/entra-pending/'];
const STAFF_SESSION_DAYS = 3;
/**
 * Where a patient who asked to be contacted can be reached: kept as long as the longer of the
 * conversation and its booking records, so the clinic's answer to a request can still reach them.
 */
const CONTACT_PREFIX = 'contact/';
/**
 * Handoffs to a person (what the patient and staff wrote) and consents to check-ins: kept as long
 * as the conversation. An open handoff is written at least every few minutes, and a check-in
 * program ends within days of its consent, so neither is deleted while in use.
 */
const CONVERSATION_RECORD_PREFIXES = ['handoff/records/', 'followups/consent/'];
/** botbuilder's state keys: `<channel>/conversations/<id>/` and `<channel>/users/<id>/`. */
const BOT_STATE = /^([^/]+)\/(conversations|users)\/./;
/** First segments of the service's own items, which are never bot state whatever follows. */
const OWN_PREFIXES: ReadonlySet<string> = new Set([
  'bookings',
  'gaps',
  'retention',
  'staff',
  'analytics',
  'contact',
  'handoff',
  'followups',
]);
/** Deletes between yields, so a large sweep never holds the event loop (sqlite deletes are synchronous). */
const YIELD_EVERY = 50;
/** Items read per request: BlobsStorage reads a call's keys all in parallel. */
const READ_CHUNK = 100;

/** What the sweep reads of a user state item: the requests "forget me" would still have to withdraw. */
const UserStateSchema = z.object({
  profile: z
    .object({ bookingRequests: z.array(z.string()).optional() })
    .loose()
    .optional(),
});

interface Plan {
  staffSessions: CatalogEntry[];
  contact: CatalogEntry[];
  conversation: CatalogEntry[];
  user: CatalogEntry[];
  booking: CatalogEntry[];
  gaps: CatalogEntry[];
  /** Chat transcripts by conversation: the header and its activities. */
  transcripts: Map<string, { header?: CatalogEntry; activities: CatalogEntry[] }>;
}

/**
 * Deletes what is kept longer than the clinic's retention allows, on any store with a catalog
 * (sqlite, Azure Blob): conversation and user state and chat transcripts after N days without
 * activity; booking records N days after they were delivered or handled, never while pending,
 * held or rejected; gap-log days after N days. Analytics and the service's own items stay.
 * One instance sweeps at a time (an eTag-checked lease item), every delete is conditional on the
 * eTag seen in the listing, so an item written meanwhile is kept and no item is deleted twice.
 */
export class RetentionSweep {
  private readonly now: () => Date;
  private readonly lease: SweepLease;
  private readonly everyMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly catalog: StoreCatalog,
    private readonly outbox: BookingOutbox,
    private readonly policy: RetentionPolicy,
    private readonly options: RetentionSweepOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.everyMs = options.everyMs ?? 3_600_000;
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.lease = new SweepLease(store, catalog, LEASE_KEY, this.now);
  }

  /** Sweeps when a sweep is due and no other instance holds the lease; undefined when it did not run. */
  async run(shouldStop: () => boolean = () => false): Promise<SweepResult | undefined> {
    const { owner } = this.options;
    if (!(await this.lease.claim(owner, this.leaseMs, this.everyMs))) return undefined;
    const result: SweepResult = {
      deleted: [],
      counts: { conversation: 0, user: 0, transcript: 0, booking: 0, gaps: 0, 'staff-session': 0, contact: 0 },
      kept: 0,
      interrupted: false,
    };
    const stop = (): boolean => {
      result.interrupted ||= shouldStop();
      return result.interrupted;
    };
    try {
      const plan = await this.plan(stop);
      const phases: (() => Promise<void>)[] = [
        () => this.deleteAll('gaps', plan.gaps, result, stop),
        () => this.deleteAll('staff-session', plan.staffSessions, result, stop),
        () => this.deleteAll('contact', plan.contact, result, stop),
        () => this.deleteAll('conversation', plan.conversation, result, stop),
        () => this.transcripts(plan, result, stop),
        async () => this.deleteAll('user', await this.expiredUsers(plan.user, result), result, stop),
        () => this.bookings(plan.booking, result, stop),
      ];
      for (const phase of phases) {
        if (stop()) break;
        if (!(await this.lease.renew(owner, this.leaseMs))) {
          result.interrupted = true;
          break;
        }
        await phase();
      }
    } finally {
      await this.lease.release(owner, !result.interrupted);
    }
    return result;
  }

  /** One pass over the catalog: what is past its time, by kind (transcripts grouped by conversation). */
  private async plan(stop: () => boolean): Promise<Plan> {
    const at = this.now().getTime();
    const conversationCutoff = at - this.policy.conversationDays * DAY_MS;
    const bookingCutoff = at - this.policy.bookingDays * DAY_MS;
    const plan: Plan = {
      conversation: [],
      user: [],
      booking: [],
      gaps: [],
      staffSessions: [],
      contact: [],
      transcripts: new Map(),
    };
    const contactCutoff = at - Math.max(this.policy.conversationDays, this.policy.bookingDays) * DAY_MS;
    for await (const entry of this.catalog.list('')) {
      if (stop()) break;
      const { key } = entry;
      const modified = entry.lastModified.getTime();
      const day = dayOfGapKey(key);
      if (day !== undefined) {
        // A day's bucket goes once its last record is N days old.
        if (Date.parse(day) + DAY_MS + this.policy.gapsDays * DAY_MS <= at) plan.gaps.push(entry);
      } else if (STAFF_SESSION_PREFIXES.some((prefix) => key.startsWith(prefix))) {
        // Signed out long ago, or never came back: nothing of a session outlives its absolute timeout by days.
        if (modified <= at - STAFF_SESSION_DAYS * DAY_MS) plan.staffSessions.push(entry);
      } else if (key.startsWith(CONTACT_PREFIX)) {
        if (modified <= contactCutoff) plan.contact.push(entry);
      } else if (CONVERSATION_RECORD_PREFIXES.some((prefix) => key.startsWith(prefix))) {
        // What a patient said to staff, and their yes to check-ins: as long as the conversation itself.
        if (modified <= conversationCutoff) plan.contact.push(entry);
      } else if (key.startsWith(BOOKING_PREFIX)) {
        // A record is written when it is delivered or handled, so one written since the cutoff is not due.
        if (modified <= bookingCutoff) plan.booking.push(entry);
      } else if (key.startsWith(TRANSCRIPT_PREFIX)) {
        this.transcriptOf(plan, key.slice(TRANSCRIPT_PREFIX.length)).header = entry;
      } else if (key.startsWith(ACTIVITY_PREFIX)) {
        const rest = key.slice(ACTIVITY_PREFIX.length);
        this.transcriptOf(plan, rest.slice(0, rest.lastIndexOf('/'))).activities.push(entry);
      } else {
        const state = BOT_STATE.exec(key);
        if (state && !OWN_PREFIXES.has(state[1]) && modified <= conversationCutoff) {
          (state[2] === 'users' ? plan.user : plan.conversation).push(entry);
        }
      }
    }
    // Only transcripts whose newest item is past the window remain candidates.
    for (const [id, t] of plan.transcripts) {
      const newest = Math.max(...[t.header, ...t.activities].map((e) => e?.lastModified.getTime() ?? -Infinity));
      if (newest > conversationCutoff) plan.transcripts.delete(id);
    }
    return plan;
  }

  private transcriptOf(plan: Plan, conversationId: string): { header?: CatalogEntry; activities: CatalogEntry[] } {
    let t = plan.transcripts.get(conversationId);
    if (!t) {
      t = { activities: [] };
      plan.transcripts.set(conversationId, t);
    }
    return t;
  }

  /** The header first: a conversation written to since the listing keeps its whole history. */
  private async transcripts(plan: Plan, result: SweepResult, stop: () => boolean): Promise<void> {
    for (const t of plan.transcripts.values()) {
      if (stop()) return;
      if (t.header && !(await this.deleteOne('transcript', t.header, result))) continue;
      await this.deleteAll('transcript', t.activities, result, stop);
    }
  }

  /** Users past the window, except those with a request still active ("forget me" must find it). */
  private async expiredUsers(entries: readonly CatalogEntry[], result: SweepResult): Promise<CatalogEntry[]> {
    if (entries.length === 0) return [];
    const items = await this.readAll(entries);
    let active: ReadonlySet<string> | undefined;
    const expired: CatalogEntry[] = [];
    for (const entry of entries) {
      const item = items[entry.key];
      if (!item) continue;
      const parsed = UserStateSchema.safeParse(item);
      const requests = parsed.success ? (parsed.data.profile?.bookingRequests ?? []) : [];
      if (requests.length > 0) {
        active ??= await this.outbox.activeIds();
        if (requests.some((id) => active?.has(id))) {
          result.kept += 1;
          continue;
        }
      }
      expired.push(entry);
    }
    return expired;
  }

  /** Records finished (delivered or handled) more than N days ago; active ones are never touched. */
  private async bookings(entries: readonly CatalogEntry[], result: SweepResult, stop: () => boolean): Promise<void> {
    if (entries.length === 0) return;
    const cutoff = this.now().getTime() - this.policy.bookingDays * DAY_MS;
    const active = await this.outbox.activeIds();
    const items = await this.readAll(entries);
    const due = entries.filter((entry) => {
      const item = items[entry.key];
      const parsed = item ? OutboxRecordSchema.safeParse(item) : undefined;
      if (!parsed?.success || active.has(parsed.data.request.requestId)) return false;
      const finished = finishedAt(parsed.data);
      if (finished === undefined || finished > cutoff) {
        result.kept += 1;
        return false;
      }
      return true;
    });
    const before = result.deleted.length;
    await this.deleteAll('booking', due, result, stop);
    const gone = result.deleted.slice(before).map((key) => key.slice(BOOKING_PREFIX.length));
    if (gone.length > 0) await this.outbox.unlist(gone);
  }

  private async readAll(entries: readonly CatalogEntry[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (let i = 0; i < entries.length; i += READ_CHUNK) {
      Object.assign(items, await this.store.read(entries.slice(i, i + READ_CHUNK).map((e) => e.key)));
      await yieldToEventLoop();
    }
    return items;
  }

  private async deleteAll(
    kind: RetentionKind,
    entries: readonly CatalogEntry[],
    result: SweepResult,
    stop: () => boolean,
  ): Promise<void> {
    for (const [i, entry] of entries.entries()) {
      if (stop()) return;
      await this.deleteOne(kind, entry, result);
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    }
  }

  private async deleteOne(kind: RetentionKind, entry: CatalogEntry, result: SweepResult): Promise<boolean> {
    if (await this.catalog.deleteIfUnchanged(entry.key, entry.eTag)) {
      result.deleted.push(entry.key);
      result.counts[kind] += 1;
      return true;
    }
    result.kept += 1;
    return false;
  }
}

/**
 * When a booking record stopped needing anyone: delivered, or handled by staff (the later of the
 * two); undefined while it still waits (pending, held or rejected and not handled).
 */
export function finishedAt(record: z.infer<typeof OutboxRecordSchema>): number | undefined {
  const times = [record.status === 'delivered' ? record.deliveredAt : undefined, record.handledAt]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t));
  return times.length === 0 ? undefined : Math.max(...times);
}

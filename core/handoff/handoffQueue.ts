import { randomUUID } from 'node:crypto';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';
import { HandoffIndex } from './handoffIndex';
import {
  HandoffRecord,
  HandoffRecordSchema,
  HandoffState,
  HANDOFF_STATES,
  isOpenState,
  OpenHandoff,
  StaffRef,
  withMessages,
} from './handoffRecord';

const RECORD_PREFIX = 'handoff/records/';
const MAX_CONFLICT_RETRIES = 20;

/** Why a staff action or a message did not change a handoff. */
export type HandoffRefusal = 'missing' | 'not-waiting' | 'not-yours' | 'closed';

export type HandoffChange =
  { ok: true; record: HandoffRecord } | { ok: false; reason: HandoffRefusal; record?: HandoffRecord };

export interface HandoffFilter {
  state?: HandoffState | readonly HandoffState[];
  /** Only those claimed (or resolved) by this staff id. */
  claimedBy?: string;
}

export class HandoffError extends Error {
  override readonly name = 'HandoffError';
}

/**
 * Conversations handed to a person, durable in the state store. Every change is an eTag-checked
 * read-modify-write (so two staff claiming at once cannot both win, on one instance or several), and
 * an index item lists the open handoffs by conversation and counts every change, because the
 * Storage interface cannot list keys and the inbox polls for changes. Holds no timers: the caller
 * runs expireWaiting on its own schedule.
 */
export class HandoffQueue {
  private readonly index: HandoffIndex;

  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.index = new HandoffIndex(store, (ids) => this.store.delete(ids.map(recordKey)));
  }

  /**
   * Queues a conversation for staff; the conversation's open handoff instead when it has one
   * (`created` false), so asking twice never queues twice.
   */
  async open(input: OpenHandoff): Promise<{ record: HandoffRecord; created: boolean }> {
    const listed = (await this.index.read()).index.open.find((e) => e.addressKey === input.addressKey);
    if (listed) {
      const existing = await this.get(listed.id);
      if (existing && isOpenState(existing.state)) return { record: existing, created: false };
      // Listed as open but closed or gone (a crash between the two writes): unlist it first.
      await this.index.touch(listed.id, false);
    }
    const at = this.now().toISOString();
    const blank: HandoffRecord = {
      id: randomUUID(),
      addressKey: input.addressKey,
      lang: input.lang,
      channel: input.channel.slice(0, 64),
      reason: input.reason,
      summary: input.summary.slice(0, 1000),
      transcript: [],
      messageCount: 0,
      state: 'waiting',
      queuedAt: at,
      redFlagsFired: 0,
      updatedAt: at,
    };
    const history = (input.transcript ?? []).map((m) => ({
      role: m.role,
      text: m.text,
      at: m.at ?? at,
      ...(m.staffName ? { staffName: m.staffName.slice(0, 100) } : {}),
    }));
    const record: HandoffRecord = {
      ...blank,
      ...withMessages(blank, [...history, { role: 'system', text: '', at, event: 'queued' }]),
    };
    // The record first, then the index: a crash between leaves an unlisted record, never a listed one missing.
    await this.store.write({ [recordKey(record.id)]: { ...record } });
    const winner = await this.index.add(record.id, record.addressKey);
    if (winner !== record.id) {
      // Another instance queued this conversation at the same moment: theirs is the one.
      await this.store.delete([recordKey(record.id)]);
      const theirs = await this.get(winner);
      if (!theirs) throw new HandoffError(`the open handoff ${winner} of a conversation has no record`);
      return { record: theirs, created: false };
    }
    return { record, created: true };
  }

  async get(id: string): Promise<HandoffRecord | undefined> {
    return (await this.getWithTag(id))?.record;
  }

  /** The conversation's open handoff (waiting or claimed), if any: while there is one the bot stays quiet. */
  async byAddress(addressKey: string): Promise<HandoffRecord | undefined> {
    const { index } = await this.index.read();
    const entry = index.open.find((e) => e.addressKey === addressKey);
    if (!entry) return undefined;
    const record = await this.get(entry.id);
    return record && isOpenState(record.state) ? record : undefined;
  }

  /** Counts every change to every handoff: the inbox polls it and reloads only when it moved. */
  async version(): Promise<number> {
    return (await this.index.read()).index.version;
  }

  /** Open handoffs and the latest closed ones, oldest first, filtered by state and by staff member. */
  async list(filter: HandoffFilter = {}): Promise<HandoffRecord[]> {
    const states: readonly HandoffState[] =
      filter.state === undefined ? HANDOFF_STATES : typeof filter.state === 'string' ? [filter.state] : filter.state;
    const { index } = await this.index.read();
    const wantsClosed = states.some((s) => !isOpenState(s));
    const ids = [...index.open.map((e) => e.id), ...(wantsClosed ? index.closed : [])];
    const records = await this.readMany(ids);
    return records
      .filter((r) => states.includes(r.state))
      .filter((r) => filter.claimedBy === undefined || r.claimedBy?.id === filter.claimedBy)
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  /** The patient wrote while a person has (or is about to have) the conversation. */
  async appendPatientMessage(id: string, text: string, options: { redFlag?: boolean } = {}): Promise<HandoffChange> {
    return this.change(id, (r, at) => {
      if (!isOpenState(r.state)) return 'closed';
      const redFlag = options.redFlag === true;
      return {
        ...r,
        ...withMessages(r, [{ role: 'patient', text, at, ...(redFlag ? { redFlag } : {}) }]),
        ...(redFlag ? { redFlagsFired: r.redFlagsFired + 1, lastRedFlagAt: at } : {}),
      };
    });
  }

  /** The bot said something in the conversation (urgent guidance on a red flag, "someone is coming"). */
  async appendBotMessage(id: string, text: string): Promise<HandoffChange> {
    return this.change(id, (r, at) =>
      isOpenState(r.state) ? { ...r, ...withMessages(r, [{ role: 'bot', text, at }]) } : 'closed',
    );
  }

  /** A staff reply, kept only from the staff member who claimed the conversation. */
  async appendStaffMessage(id: string, staff: StaffRef, text: string): Promise<HandoffChange> {
    return this.change(id, (r, at) => {
      if (r.state !== 'claimed') return isOpenState(r.state) ? 'not-yours' : 'closed';
      if (r.claimedBy?.id !== staff.id) return 'not-yours';
      return {
        ...r,
        ...withMessages(r, [{ role: 'staff', text, at, staffName: staff.name.slice(0, 100) }]),
        firstStaffReplyAt: r.firstStaffReplyAt ?? at,
      };
    });
  }

  /** A staff member takes a waiting conversation: of several at once, exactly one wins. */
  async claim(id: string, staff: StaffRef): Promise<HandoffChange> {
    const who = { id: staff.id, name: staff.name.slice(0, 100) };
    return this.change(id, (r, at) =>
      r.state !== 'waiting'
        ? 'not-waiting'
        : {
            ...r,
            state: 'claimed',
            claimedAt: at,
            claimedBy: who,
            ...withMessages(r, [{ role: 'system', text: '', at, event: 'claimed', staffName: who.name }]),
          },
    );
  }

  /** Staff hand the conversation back to the bot (the claimer, or anyone while it still waits). */
  async resolve(id: string, staff: StaffRef): Promise<HandoffChange> {
    const who = { id: staff.id, name: staff.name.slice(0, 100) };
    return this.change(id, (r, at) => {
      if (!isOpenState(r.state)) return 'closed';
      if (r.state === 'claimed' && r.claimedBy?.id !== staff.id) return 'not-yours';
      return this.closed(r, 'resolved', at, { resolvedAt: at, resolvedBy: who });
    });
  }

  /** The patient cancelled: the handoff is abandoned and the bot answers again. */
  async cancel(id: string): Promise<HandoffChange> {
    return this.change(id, (r, at) => (isOpenState(r.state) ? this.closed(r, 'abandoned', at) : 'closed'));
  }

  /** Waiting handoffs unclaimed for `timeoutMs` become timed-out; returns those (the bot tells each patient). */
  async expireWaiting(now: Date, timeoutMs: number): Promise<HandoffRecord[]> {
    const cutoff = new Date(now.getTime() - timeoutMs).toISOString();
    const stale = (await this.list({ state: 'waiting' })).filter((r) => r.queuedAt <= cutoff);
    const expired: HandoffRecord[] = [];
    for (const candidate of stale) {
      const result = await this.change(
        candidate.id,
        (r) => (r.state === 'waiting' ? this.closed(r, 'timed-out', now.toISOString()) : 'not-waiting'),
        now,
      );
      if (result.ok) expired.push(result.record);
    }
    return expired;
  }

  private closed(
    r: HandoffRecord,
    state: 'resolved' | 'abandoned' | 'timed-out',
    at: string,
    extra: Partial<HandoffRecord> = {},
  ): HandoffRecord {
    return {
      ...r,
      ...extra,
      state,
      closedAt: at,
      ...withMessages(r, [{ role: 'system', text: '', at, event: state }]),
    };
  }

  /**
   * eTag-checked read-modify-write of one record, then the index (the change counter, and the
   * record moves to the closed list when it closed). `change` returns a refusal to leave it as it is.
   */
  private async change(
    id: string,
    change: (record: HandoffRecord, at: string) => HandoffRecord | HandoffRefusal,
    now: Date = this.now(),
  ): Promise<HandoffChange> {
    const at = now.toISOString();
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const found = await this.getWithTag(id);
      if (!found) return { ok: false, reason: 'missing' };
      const next = change(found.record, at);
      if (typeof next === 'string') return { ok: false, reason: next, record: found.record };
      const record: HandoffRecord = { ...next, updatedAt: at };
      try {
        await this.store.write({ [recordKey(id)]: { ...stripUndefined(record), eTag: found.eTag } });
      } catch (err) {
        if (isETagConflict(err)) continue;
        throw err;
      }
      await this.index.touch(id, isOpenState(record.state));
      return { ok: true, record };
    }
    throw new HandoffError(`could not change handoff ${id}: too many concurrent changes`);
  }

  private async getWithTag(id: string): Promise<{ record: HandoffRecord; eTag?: string } | undefined> {
    if (!isHandoffId(id)) return undefined;
    const key = recordKey(id);
    const item = (await this.store.read([key]))[key];
    if (!item) return undefined;
    const { eTag, ...rest } = item;
    const parsed = HandoffRecordSchema.safeParse(rest);
    return parsed.success ? { record: parsed.data, eTag } : undefined;
  }

  private async readMany(ids: readonly string[]): Promise<HandoffRecord[]> {
    if (ids.length === 0) return [];
    const items = await this.store.read(ids.map(recordKey));
    return ids.flatMap((id) => {
      const item = items[recordKey(id)];
      if (!item) return [];
      const { eTag: _eTag, ...rest } = item;
      const parsed = HandoffRecordSchema.safeParse(rest);
      return parsed.success ? [parsed.data] : [];
    });
  }
}

/** Handoff ids are UUIDs: anything else (a crafted link) is no handoff. */
export function isHandoffId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);
}

function recordKey(id: string): string {
  return `${RECORD_PREFIX}${id}`;
}

/** Stores keep JSON: an `undefined` field is dropped rather than written. */
function stripUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

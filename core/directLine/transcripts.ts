import { KeyValueStore, ListableStore } from '../storage/keyValueStore';

/** An activity as the embedded Direct Line keeps and returns it (JSON only). */
export interface TranscriptActivity {
  id?: string;
  type: string;
  timestamp?: string;
  [field: string]: unknown;
}

interface TranscriptDoc {
  userId: string;
  createdAt: number;
  updatedAt: number;
  /** The watermark of activities[0]: older activities were dropped to keep the transcript bounded. */
  first: number;
  activities: TranscriptActivity[];
}

export interface TranscriptOptions {
  /** A conversation nobody touched for this long is gone (its history is deleted when next seen). */
  historyMs: number;
  /** Activities kept per conversation; older ones are dropped. */
  maxActivities: number;
  /** Conversations kept in memory; the rest are read from the store when asked for. */
  cacheSize: number;
}

/** One small header per conversation (listed by the sweep)… */
const KEY_PREFIX = 'directline/transcript/';
/** …and one item per activity, so a message writes only what is new, however long the conversation. */
const activityKey = (conversationId: string, seq: number): string => `directline/activity/${conversationId}/${seq}`;

/** What the header item holds: the conversation without its activities. */
type Header = Omit<TranscriptDoc, 'activities'> & { next: number };

/**
 * The history of each embedded Direct Line conversation: what the visitor sent and what the bot
 * answered, in order, with Direct Line's numeric watermarks. Held in memory for polling and written
 * through to the state store, so a reload (or a restart) shows the conversation again.
 * One process owns a conversation: several instances need Azure's Direct Line instead.
 */
export class Transcripts {
  private readonly cache = new Map<string, TranscriptDoc>();
  /** Writes of one conversation, in order. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: TranscriptOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Deletes every history past the window, including conversations nobody came back to. Only
   * stores that can list their keys (the embedded sqlite store) can be swept; returns how many
   * were deleted, or undefined when the store cannot list.
   */
  async sweep(): Promise<number | undefined> {
    if (!isListable(this.store)) return undefined;
    let deleted = 0;
    for (const key of await this.store.keys(KEY_PREFIX)) {
      const conversationId = key.slice(KEY_PREFIX.length);
      // load() deletes an expired history as it reads it.
      const existed = this.cache.has(conversationId) || Object.keys(await this.store.read([key])).length > 0;
      if (existed && !(await this.load(conversationId))) deleted += 1;
    }
    return deleted;
  }

  /** Starts a conversation's history; false when it already exists. */
  async open(conversationId: string, userId: string): Promise<boolean> {
    if (await this.load(conversationId)) return false;
    const at = this.now();
    this.remember(conversationId, { userId, createdAt: at, updatedAt: at, first: 0, activities: [] });
    await this.persist(conversationId, [], []);
    return true;
  }

  async exists(conversationId: string): Promise<boolean> {
    return (await this.load(conversationId)) !== undefined;
  }

  /**
   * Appends activities, giving each the id Direct Line gives (`<conversation>|<seq>`) and a
   * timestamp; resolves once they are stored. Returns the stored activities.
   */
  async append(conversationId: string, activities: TranscriptActivity[]): Promise<TranscriptActivity[]> {
    const doc = await this.load(conversationId);
    if (!doc) throw new Error('append to an unknown conversation');
    const stored = activities.map((activity, i) => ({
      ...activity,
      id: `${conversationId}|${String(doc.first + doc.activities.length + i).padStart(7, '0')}`,
      timestamp: activity.timestamp ?? new Date(this.now()).toISOString(),
    }));
    doc.activities.push(...stored);
    const excess = Math.max(0, doc.activities.length - this.options.maxActivities);
    const dropped = range(doc.first, doc.first + excess);
    if (excess > 0) {
      doc.activities.splice(0, excess);
      doc.first += excess;
    }
    doc.updatedAt = this.now();
    const firstNew = doc.first + doc.activities.length - stored.length;
    await this.persist(
      conversationId,
      stored.map((a, i) => [firstNew + i, a] as const),
      dropped,
    );
    return stored;
  }

  /** Activities from the watermark on, and the watermark to ask with next. */
  async since(
    conversationId: string,
    watermark: number,
  ): Promise<{ activities: TranscriptActivity[]; watermark: string } | undefined> {
    const doc = await this.load(conversationId);
    if (!doc) return undefined;
    const from = Math.max(0, watermark - doc.first);
    return { activities: doc.activities.slice(from), watermark: String(doc.first + doc.activities.length) };
  }

  /**
   * Forgets the history (a patient asked to be forgotten), keeping only `keep`: the bot's last
   * words, so the page still says what happened. Watermarks go on from where they were.
   */
  async erase(conversationId: string, keep: TranscriptActivity[] = []): Promise<void> {
    const doc = await this.load(conversationId);
    if (!doc) return;
    // What is kept are the last activities (the bot's answer to "forget me"): the rest goes.
    const keepIds = new Set(keep.map((a) => a.id));
    const total = doc.first + doc.activities.length;
    let kept = 0;
    while (kept < doc.activities.length && keepIds.has(doc.activities[doc.activities.length - 1 - kept].id)) kept += 1;
    const dropped = range(doc.first, total - kept);
    doc.activities = doc.activities.slice(doc.activities.length - kept);
    doc.first = total - kept;
    doc.updatedAt = this.now();
    await this.persist(conversationId, [], dropped);
  }

  private async load(conversationId: string): Promise<TranscriptDoc | undefined> {
    let doc = this.cache.get(conversationId);
    if (!doc) {
      doc = await this.read(conversationId);
      if (doc) this.remember(conversationId, doc);
    }
    if (doc && this.now() - doc.updatedAt > this.options.historyMs) {
      this.cache.delete(conversationId);
      const keys = [
        KEY_PREFIX + conversationId,
        ...range(doc.first, doc.first + doc.activities.length).map((seq) => activityKey(conversationId, seq)),
      ];
      await this.chain(conversationId, () => this.store.delete(keys));
      return undefined;
    }
    return doc;
  }

  /** A conversation from the store: its header, then its activities in one read. */
  private async read(conversationId: string): Promise<TranscriptDoc | undefined> {
    const header = (await this.store.read([KEY_PREFIX + conversationId]))[KEY_PREFIX + conversationId]?.header;
    if (!isHeader(header)) return undefined;
    const keys = range(header.first, header.next).map((seq) => activityKey(conversationId, seq));
    const items = keys.length > 0 ? await this.store.read(keys) : {};
    const activities = keys.flatMap((key) => {
      const activity: unknown = items[key]?.activity;
      return isActivity(activity) ? [activity] : [];
    });
    const { next: _next, ...rest } = header;
    return { ...rest, activities };
  }

  private remember(conversationId: string, doc: TranscriptDoc): void {
    this.cache.delete(conversationId);
    this.cache.set(conversationId, doc);
    while (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  /**
   * Writes the header, the new activities and drops the old ones; writes of one conversation never
   * overtake each other.
   */
  private persist(
    conversationId: string,
    added: readonly (readonly [number, TranscriptActivity])[],
    dropped: readonly number[],
  ): Promise<void> {
    const doc = this.cache.get(conversationId);
    if (!doc) return Promise.resolve();
    const { activities, ...rest } = doc;
    const header: Header = { ...rest, next: doc.first + activities.length };
    const changes: Record<string, { eTag: string; [field: string]: unknown }> = {
      [KEY_PREFIX + conversationId]: { header, eTag: '*' },
    };
    for (const [seq, activity] of added) changes[activityKey(conversationId, seq)] = { activity, eTag: '*' };
    return this.chain(conversationId, async () => {
      await this.store.write(changes);
      if (dropped.length > 0) await this.store.delete(dropped.map((seq) => activityKey(conversationId, seq)));
    });
  }

  private chain(conversationId: string, write: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.writes.set(conversationId, next);
    void next
      .finally(() => {
        if (this.writes.get(conversationId) === next) this.writes.delete(conversationId);
      })
      .catch(() => undefined);
    return next;
  }
}

function isListable(store: KeyValueStore): store is ListableStore {
  return typeof (store as Partial<ListableStore>).keys === 'function';
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Partial<Header>;
  return (
    typeof h.userId === 'string' &&
    Number.isInteger(h.first) &&
    Number.isInteger(h.next) &&
    typeof h.updatedAt === 'number' &&
    typeof h.createdAt === 'number'
  );
}

function isActivity(value: unknown): value is TranscriptActivity {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

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

const KEY_PREFIX = 'directline/transcript/';

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
    await this.persist(conversationId);
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
    const excess = doc.activities.length - this.options.maxActivities;
    if (excess > 0) {
      doc.activities.splice(0, excess);
      doc.first += excess;
    }
    doc.updatedAt = this.now();
    await this.persist(conversationId);
    return stored;
  }

  /** Activities from the watermark on, and the watermark to ask with next. */
  async since(conversationId: string, watermark: number): Promise<{ activities: TranscriptActivity[]; watermark: string } | undefined> {
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
    const keepIds = new Set(keep.map((a) => a.id));
    const total = doc.first + doc.activities.length;
    doc.activities = doc.activities.filter((a) => keepIds.has(a.id));
    doc.first = total - doc.activities.length;
    doc.updatedAt = this.now();
    await this.persist(conversationId);
  }

  private async load(conversationId: string): Promise<TranscriptDoc | undefined> {
    let doc = this.cache.get(conversationId);
    if (!doc) {
      const items = await this.store.read([KEY_PREFIX + conversationId]);
      const item = items[KEY_PREFIX + conversationId];
      doc = item && isDoc(item.doc) ? item.doc : undefined;
      if (doc) this.remember(conversationId, doc);
    }
    if (doc && this.now() - doc.updatedAt > this.options.historyMs) {
      this.cache.delete(conversationId);
      await this.chain(conversationId, () => this.store.delete([KEY_PREFIX + conversationId]));
      return undefined;
    }
    return doc;
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

  /** Writes the conversation's current history; writes of one conversation never overtake each other. */
  private persist(conversationId: string): Promise<void> {
    return this.chain(conversationId, async () => {
      const doc = this.cache.get(conversationId);
      if (doc) await this.store.write({ [KEY_PREFIX + conversationId]: { doc, eTag: '*' } });
    });
  }

  private chain(conversationId: string, write: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.writes.set(conversationId, next);
    void next.finally(() => {
      if (this.writes.get(conversationId) === next) this.writes.delete(conversationId);
    }).catch(() => undefined);
    return next;
  }
}

function isListable(store: KeyValueStore): store is ListableStore {
  return typeof (store as Partial<ListableStore>).keys === 'function';
}

function isDoc(value: unknown): value is TranscriptDoc {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Partial<TranscriptDoc>;
  return typeof doc.userId === 'string' && typeof doc.first === 'number' && typeof doc.updatedAt === 'number' && Array.isArray(doc.activities);
}

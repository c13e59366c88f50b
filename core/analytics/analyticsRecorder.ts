import { isETagConflict, KeyValueStore, StoreItem } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { addDay, countEvent, DayBucket, dayKey, emptyDay } from './analyticsBuckets';
import { fromStored, StoredDaySchema, toStored } from './analyticsStoredDay';
import { AnalyticsEvent, AnalyticsSink } from './analyticsEvents';

/** Calls `tick` every `ms` until the returned function is called. */
export type Every = (ms: number, tick: () => void) => () => void;

export interface AnalyticsRecorderOptions {
  /** The clock events are bucketed by (UTC hour). */
  now?: () => Date;
  /** How often `start()` flushes (default 10 s). */
  flushMs?: number;
  /** The timer `start()` uses; setInterval (not keeping the process alive) by default. */
  every?: Every;
  /** Create-only writes where the store has them, so two instances starting a day never overwrite each other. */
  catalog?: Pick<StoreCatalog, 'createIfAbsent'>;
  /** A failed flush (its counts are kept for the next one). */
  onError?: (err: unknown) => void;
}

export const DEFAULT_FLUSH_MS = 10_000;
const MAX_CONFLICT_RETRIES = 20;

export class AnalyticsWriteError extends Error {
  override readonly name = 'AnalyticsWriteError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`analytics: could not write ${key}: ${reason}`);
  }
}

const everyInterval: Every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Counts events in memory, synchronously and without I/O (the turn never waits on it), and
 * merges the counts into one store item per UTC day in batches: read, add, write with the eTag
 * read, again on a conflict. Additions commute, so any number of instances can flush into the
 * same items at once and every count is added exactly once.
 */
export class AnalyticsRecorder implements AnalyticsSink {
  private pending = new Map<string, DayBucket>();
  private flushing: Promise<void> = Promise.resolve();
  private cancelTimer?: () => void;
  private readonly now: () => Date;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: AnalyticsRecorderOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Counts one event in memory (flushed later). */
  record(event: AnalyticsEvent): void {
    const at = this.now().toISOString();
    const day = at.slice(0, 10);
    let bucket = this.pending.get(day);
    if (!bucket) {
      bucket = emptyDay(day);
      this.pending.set(day, bucket);
    }
    countEvent(bucket, at.slice(11, 13), event);
  }

  /** Writes everything counted so far; flushes run one after another. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  /** Flushes every `flushMs` from now on. */
  start(): void {
    if (this.cancelTimer) return;
    const every = this.options.every ?? everyInterval;
    this.cancelTimer = every(this.options.flushMs ?? DEFAULT_FLUSH_MS, () => void this.flush());
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.flush();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    for (const [day, delta] of batch) {
      try {
        await this.mergeInto(day, delta);
      } catch (err) {
        // Kept for the next flush, with whatever was counted meanwhile (its titles are newer).
        const meanwhile = this.pending.get(day);
        if (meanwhile) addDay(delta, meanwhile);
        this.pending.set(day, delta);
        this.options.onError?.(err);
      }
    }
  }

  private async mergeInto(day: string, delta: DayBucket): Promise<void> {
    const key = dayKey(day);
    const { catalog } = this.options;
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const item: StoreItem | undefined = (await this.store.read([key]))[key];
      try {
        if (item) {
          const { eTag, ...stored } = item;
          const parsed = StoredDaySchema.safeParse(stored);
          // Never overwritten: an item this version cannot read may hold a newer version's counts.
          if (!parsed.success) throw new AnalyticsWriteError(key, 'the stored item is not readable');
          const merged = fromStored(parsed.data);
          addDay(merged, delta);
          await this.store.write({ [key]: { ...toStored(merged), eTag } });
          return;
        }
        if (!catalog) {
          // A store without create-only writes (memory, tests): a day's first write cannot be checked.
          await this.store.write({ [key]: { ...toStored(delta) } });
          return;
        }
        if (await catalog.createIfAbsent(key, { ...toStored(delta) })) return;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    throw new AnalyticsWriteError(key, 'too many concurrent changes');
  }
}

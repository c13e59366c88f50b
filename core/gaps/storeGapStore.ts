import { z } from 'zod';
import { isETagConflict, KeyValueStore, StoreItem } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { GapRecordSchema, GapStore } from './gapLog';
import { GapRecord } from './gapReport';

const KEY_PREFIX = 'gaps/';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** A day's bucket stops growing here, so a flood of junk cannot make every append rewrite megabytes. */
const MAX_RECORDS_PER_DAY = 5_000;
const MAX_CONFLICT_RETRIES = 20;

const BucketSchema = z.object({
  records: z.array(z.unknown()).default([]),
  /** Records not kept because the day's bucket was full. */
  dropped: z.number().int().min(0).default(0),
});
/** A day as stored: records kept as they are (fields added later survive an append), and those that parse. */
type Bucket = { raw: unknown[]; records: GapRecord[]; dropped: number };

/** The key of one UTC day's gap records, `gaps/<yyyy-mm-dd>`. */
export function gapDayKey(day: string): string {
  return `${KEY_PREFIX}${day}`;
}

/** The UTC day a gap-log key holds, or undefined for any other key. */
export function dayOfGapKey(key: string): string | undefined {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const day = key.slice(KEY_PREFIX.length);
  return DAY.test(day) ? day : undefined;
}

export interface StoreGapStoreOptions {
  /** How many days back `all()` reads on a store without a catalog: the retention window. */
  days: number;
  now?: () => Date;
  /**
   * Where the store has one: create-only writes, so two instances starting a day's bucket never
   * overwrite each other, and a listing, so `all()` reads every day kept whatever its date.
   */
  catalog?: Pick<StoreCatalog, 'createIfAbsent' | 'list'>;
}

/**
 * Gap records in the state store (STATE_STORE), one item per UTC day, so every instance of a
 * hosted deployment writes to the same log. Appends are eTag-checked read-modify-writes retried
 * on a conflict; the GapRecorder batches records, so a busy day costs one write per batch.
 */
export class StoreGapStore implements GapStore {
  private readonly now: () => Date;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: StoreGapStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async append(records: readonly GapRecord[]): Promise<void> {
    const byDay = new Map<string, GapRecord[]>();
    for (const record of records) {
      const day = record.at.slice(0, 10);
      const key = DAY.test(day) ? day : this.now().toISOString().slice(0, 10);
      byDay.set(key, [...(byDay.get(key) ?? []), record]);
    }
    for (const [day, batch] of byDay) await this.appendToDay(day, batch);
  }

  /** Every record kept (without a catalog: of the retention window), oldest day first. */
  async all(): Promise<GapRecord[]> {
    const keys = await this.dayKeys();
    if (keys.length === 0) return [];
    const items = await this.store.read(keys);
    return keys.flatMap((key) => (items[key] ? bucketOf(items[key]).records : []));
  }

  private async dayKeys(): Promise<string[]> {
    const { catalog, days } = this.options;
    if (catalog) {
      const keys: string[] = [];
      for await (const entry of catalog.list(KEY_PREFIX))
        if (dayOfGapKey(entry.key) !== undefined) keys.push(entry.key);
      return keys.sort();
    }
    const today = Date.parse(this.now().toISOString().slice(0, 10));
    return Array.from({ length: days + 1 }, (_, i) =>
      gapDayKey(new Date(today - (days - i) * DAY_MS).toISOString().slice(0, 10)),
    );
  }

  private async appendToDay(day: string, records: readonly GapRecord[]): Promise<void> {
    const key = gapDayKey(day);
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const item: StoreItem | undefined = (await this.store.read([key]))[key];
      const bucket = item ? bucketOf(item) : { raw: [], records: [], dropped: 0 };
      // Ids make the append idempotent: a batch retried after an unclear failure is kept once.
      const known = new Set(bucket.records.map((r) => r.id));
      const fresh = records.filter((r) => !known.has(r.id));
      if (fresh.length === 0) return;
      const room = Math.max(0, MAX_RECORDS_PER_DAY - bucket.raw.length);
      const next = {
        records: [...bucket.raw, ...fresh.slice(0, room)],
        dropped: bucket.dropped + Math.max(0, fresh.length - room),
      };
      try {
        if (item) {
          await this.store.write({ [key]: { ...next, eTag: item.eTag } });
          return;
        }
        if (!this.options.catalog) {
          // A store without create-only (memory, tests): the first write of a day cannot be checked.
          await this.store.write({ [key]: next });
          return;
        }
        if (await this.options.catalog.createIfAbsent(key, next)) return;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    throw new Error(`could not append to ${key}: too many concurrent changes`);
  }
}

/** A stored bucket; records that do not parse are not read, rather than failing the whole day. */
function bucketOf(item: StoreItem): Bucket {
  const { eTag: _eTag, ...rest } = item;
  const parsed = BucketSchema.safeParse(rest);
  if (!parsed.success) return { raw: [], records: [], dropped: 0 };
  const records = parsed.data.records.flatMap((r) => {
    const record = GapRecordSchema.safeParse(r);
    return record.success ? [record.data] : [];
  });
  return { raw: parsed.data.records, records, dropped: parsed.data.dropped };
}

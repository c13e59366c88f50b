import { DayBucket, dayKey } from '../../../core/analytics/analyticsBuckets';
import { fromStored, StoredDaySchema } from '../../../core/analytics/analyticsStoredDay';
import { AnalyticsEvent, EntryRef } from '../../../core/analytics/analyticsEvents';
import { AnalyticsRecorder, Every } from '../../../core/analytics/analyticsRecorder';
import { isETagConflict, KeyValueStore, StoreItems } from '../../../core/storage/keyValueStore';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';

const AT = new Date('2026-03-05T15:20:00Z');
const ENTRY: EntryRef = { id: 'redness-duration', en: { title: 'Redness' }, es: { title: 'Rojez' } };
const answered: AnalyticsEvent = {
  kind: 'message',
  outcome: 'answered',
  lang: 'en',
  channel: 'webchat',
  entries: [ENTRY],
};
const fallback: AnalyticsEvent = { kind: 'message', outcome: 'fallback', lang: 'es', channel: 'msteams' };

/** A store that can run something just before a write reaches it, and counts eTag conflicts. */
class WatchedStore implements KeyValueStore {
  conflicts = 0;
  writes = 0;
  beforeWrite?: () => Promise<void>;

  constructor(readonly inner: KeyValueStore) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    await hook?.();
    this.writes++;
    try {
      await this.inner.write(changes);
    } catch (err) {
      if (isETagConflict(err)) this.conflicts++;
      throw err;
    }
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

async function raw(store: KeyValueStore, day: string): Promise<Record<string, unknown>> {
  const { eTag: _eTag, ...rest } = (await store.read([dayKey(day)]))[dayKey(day)] ?? {};
  return rest;
}

/** The stored day as counts (checked against the stored schema). */
async function stored(store: KeyValueStore, day: string): Promise<DayBucket> {
  return fromStored(StoredDaySchema.parse(await raw(store, day)));
}

function recorderAt(store: KeyValueStore, at: () => Date = () => AT, onError?: (err: unknown) => void) {
  return new AnalyticsRecorder(store, { now: at, onError });
}

describe('AnalyticsRecorder', () => {
  it('counts each event in the UTC hour and UTC day it happened', async () => {
    const store = new SqliteStorage(':memory:');
    let now = new Date('2026-03-05T23:59:59.999Z');
    const recorder = recorderAt(store, () => now);
    recorder.record(answered);
    now = new Date('2026-03-06T00:00:00.000Z');
    recorder.record(fallback);
    recorder.record({ kind: 'conversation', lang: 'es', channel: 'msteams' });
    await recorder.flush();

    // As stored: the day lists each entry once, its hours name entries by position.
    expect(await raw(store, '2026-03-05')).toEqual({
      version: 1,
      day: '2026-03-05',
      entries: ['redness-duration'],
      hours: {
        '23': {
          counts: { messages: 1, answered: 1 },
          answered: [0, 1],
          langs: { en: [0, 1] },
          channels: { webchat: [0, 1] },
        },
      },
      titles: { 'redness-duration': { en: 'Redness', es: 'Rojez' } },
    });
    const after = await stored(store, '2026-03-06');
    expect(after.hours['00']).toEqual({
      counts: { conversations: 1, messages: 1, fallback: 1 },
      entries: {},
      langs: { es: [1, 1] },
      channels: { msteams: [1, 1] },
    });
  });

  it('writes nothing until flushed, and nothing when there is nothing new', async () => {
    const store = new WatchedStore(new SqliteStorage(':memory:'));
    const recorder = recorderAt(store);
    recorder.record(answered);
    expect(store.writes).toBe(0);
    await recorder.flush();
    await recorder.flush();
    expect(store.writes).toBe(1);
  });

  it('adds up two recorders flushing into the same item at once, retrying the eTag conflict', async () => {
    const shared = new SqliteStorage(':memory:');
    const storeA = new WatchedStore(shared);
    const a = recorderAt(storeA);
    const b = recorderAt(shared);
    for (let i = 0; i < 3; i++) a.record(answered);
    a.record({ kind: 'feedback', reaction: 'down', entry: ENTRY });
    for (let i = 0; i < 5; i++) b.record(answered);
    b.record(fallback);
    await b.flush(); // The item exists: both merges are eTag-checked.
    for (let i = 0; i < 5; i++) b.record(answered);
    // B writes between A's read and A's write: A's eTag is stale.
    storeA.beforeWrite = () => b.flush();
    await a.flush();

    expect(storeA.conflicts).toBe(1);
    const hour = (await stored(shared, '2026-03-05')).hours['15'];
    expect(hour?.counts).toEqual({ messages: 14, answered: 13, fallback: 1, thumbsDown: 1 });
    expect(hour?.entries['redness-duration']).toEqual([13, 0, 1]);
    expect(hour?.langs).toEqual({ en: [0, 13], es: [0, 1] });
  });

  it('loses no count when many recorders flush at the same moment', async () => {
    const shared = new SqliteStorage(':memory:');
    await shared.write({
      [dayKey('2026-03-05')]: { version: 1, day: '2026-03-05', entries: [], hours: {}, titles: {} },
    });
    const watched = new WatchedStore(shared);
    const recorders = Array.from({ length: 6 }, () => recorderAt(watched));
    recorders.forEach((r, i) => {
      for (let n = 0; n <= i * 10; n++) r.record(answered);
    });
    await Promise.all(recorders.map((r) => r.flush()));
    const expected = recorders.reduce((sum, _r, i) => sum + i * 10 + 1, 0);
    expect(watched.conflicts).toBeGreaterThan(0);
    expect((await stored(shared, '2026-03-05')).hours['15']?.counts.answered).toBe(expected);
  });

  it("creates a day's item only if absent when the store can, and merges when another instance was first", async () => {
    const shared = new SqliteStorage(':memory:');
    const other = recorderAt(shared);
    other.record(fallback);
    const catalog = {
      createIfAbsent: async (key: string, item: Record<string, unknown>) => {
        await other.flush(); // The other instance creates the day first.
        return shared.createIfAbsent(key, item);
      },
    };
    const recorder = new AnalyticsRecorder(shared, { now: () => AT, catalog });
    recorder.record(answered);
    await recorder.flush();
    expect((await stored(shared, '2026-03-05')).hours['15']?.counts).toEqual({ messages: 2, answered: 1, fallback: 1 });
  });

  it('keeps the counts of a failed flush for the next one', async () => {
    const store = new WatchedStore(new SqliteStorage(':memory:'));
    const errors: unknown[] = [];
    const recorder = recorderAt(
      store,
      () => AT,
      (err) => errors.push(err),
    );
    recorder.record(answered);
    store.beforeWrite = () => Promise.reject(new Error('store unavailable'));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    recorder.record(answered);
    await recorder.flush();
    expect((await stored(store, '2026-03-05')).hours['15']?.counts.answered).toBe(2);
  });

  it('never overwrites an item it cannot read (a newer version may have written it)', async () => {
    const store = new SqliteStorage(':memory:');
    const newer = { version: 2, day: '2026-03-05', somethingNew: true };
    await store.write({ [dayKey('2026-03-05')]: newer });
    const errors: unknown[] = [];
    const recorder = recorderAt(
      store,
      () => AT,
      (err) => errors.push(err),
    );
    recorder.record(answered);
    await recorder.flush();
    expect(errors[0]).toMatchObject({ name: 'AnalyticsWriteError', key: 'analytics/day/2026-03-05' });
    const { eTag: _eTag, ...kept } = (await store.read([dayKey('2026-03-05')]))[dayKey('2026-03-05')] ?? {};
    expect(kept).toEqual(newer);
  });

  it('flushes on its timer, and on stop writes what is left', async () => {
    const store = new SqliteStorage(':memory:');
    let tick: (() => void) | undefined;
    let cancelled = false;
    const every: Every = (ms, callback) => {
      expect(ms).toBe(10_000);
      tick = callback;
      return () => {
        cancelled = true;
      };
    };
    const recorder = new AnalyticsRecorder(store, { now: () => AT, every });
    recorder.start();
    recorder.record(answered);
    tick?.();
    await recorder.flush();
    expect((await stored(store, '2026-03-05')).hours['15']?.counts.answered).toBe(1);
    recorder.record(fallback);
    await recorder.stop();
    expect(cancelled).toBe(true);
    expect((await stored(store, '2026-03-05')).hours['15']?.counts).toEqual({ messages: 2, answered: 1, fallback: 1 });
  });

  it('has no place for a message text in any event', () => {
    const recorder = recorderAt(new SqliteStorage(':memory:'));
    recorder.record({
      kind: 'message',
      outcome: 'fallback',
      lang: 'en',
      channel: 'webchat',
      // @ts-expect-error: a message event carries an outcome, never the text.
      text: 'my email is a@b.c',
    });
    // @ts-expect-error: nor a conversation id.
    recorder.record({ kind: 'conversation', lang: 'en', channel: 'webchat', conversationId: 'c1' });
    // @ts-expect-error: a channel is one of the counted names, not whatever the request said.
    recorder.record({ kind: 'conversation', lang: 'en', channel: 'anything at all' });
  });
});

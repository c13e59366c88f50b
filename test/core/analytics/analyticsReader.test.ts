import { dayKey } from '../../../core/analytics/analyticsBuckets';
import { AnalyticsEvent, EntryRef } from '../../../core/analytics/analyticsEvents';
import { AnalyticsReader } from '../../../core/analytics/analyticsReader';
import { AnalyticsRecorder } from '../../../core/analytics/analyticsRecorder';
import { KeyValueStore, StoreItems } from '../../../core/storage/keyValueStore';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';

const NOW = new Date('2026-03-05T15:20:00Z');
const REDNESS: EntryRef = { id: 'redness-duration', en: { title: 'Redness' }, es: { title: 'Rojez' } };
const PAIN: EntryRef = { id: 'pain', en: { title: 'Does it hurt?' }, es: { title: '¿Duele?' } };

function answered(entry: EntryRef = REDNESS): AnalyticsEvent {
  return { kind: 'message', outcome: 'answered', lang: 'en', channel: 'webchat', entries: [entry] };
}
const fallback: AnalyticsEvent = { kind: 'message', outcome: 'fallback', lang: 'es', channel: 'msteams' };
const clarify: AnalyticsEvent = { kind: 'message', outcome: 'did-you-mean', lang: 'en', channel: 'webchat' };

/** Records each event at its instant through the real recorder, and flushes into a fresh store. */
async function storeWith(events: [string, AnalyticsEvent][]): Promise<SqliteStorage> {
  const store = new SqliteStorage(':memory:');
  let at = NOW;
  const recorder = new AnalyticsRecorder(store, { now: () => at });
  for (const [iso, event] of events) {
    at = new Date(iso);
    recorder.record(event);
  }
  await recorder.flush();
  return store;
}

describe('AnalyticsReader', () => {
  it('sums the last 24 hours hour by hour, the current hour included', async () => {
    const store = await storeWith([
      ['2026-03-04T15:59:59Z', answered()],
      ['2026-03-04T16:00:00Z', answered()],
      ['2026-03-05T15:10:00Z', fallback],
      ['2026-03-05T15:30:00Z', fallback], // Later than `now`: the clock of another instance ran ahead.
    ]);
    const s = await new AnalyticsReader(store).summary('24h', NOW);
    expect(s).toMatchObject({ granularity: 'hour', from: '2026-03-04T16:00:00.000Z', to: NOW.toISOString() });
    expect(s.series).toHaveLength(24);
    expect(s.series[0]).toMatchObject({ at: '2026-03-04T16:00:00.000Z', messages: 1, answered: 1 });
    expect(s.series[23]).toMatchObject({ at: '2026-03-05T15:00:00.000Z', messages: 2, fallback: 2 });
    expect(s.totals).toMatchObject({ messages: 3, answered: 1, fallback: 2 });
  });

  it("counts days in the clinic's time zone: a UTC hour lands on the local day it starts in", async () => {
    const store = await storeWith([
      ['2026-02-27T04:59:00Z', answered()], // 23:59 on 26 Feb in New York: outside the 7 days
      ['2026-02-27T05:00:00Z', answered()], // 00:00 on 27 Feb: the first day
      ['2026-03-05T03:00:00Z', fallback], // 22:00 on 4 Mar
      ['2026-03-05T05:00:00Z', fallback], // 00:00 on 5 Mar
    ]);
    const s = await new AnalyticsReader(store, { timeZone: () => 'America/New_York' }).summary('7d', NOW);
    expect(s).toMatchObject({ granularity: 'day', timeZone: 'America/New_York', from: '2026-02-27T05:00:00.000Z' });
    expect(s.series.map((p) => p.at)).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
    ]);
    expect(s.series.map((p) => p.messages)).toEqual([1, 0, 0, 0, 0, 1, 1]);
  });

  it('gives a local day 23 hours when the clocks go forward', async () => {
    const store = await storeWith([
      ['2026-03-08T04:30:00Z', answered()], // 23:30 EST on 7 Mar
      ['2026-03-08T05:00:00Z', answered()], // 00:00 EST on 8 Mar
      ['2026-03-09T03:30:00Z', answered()], // 23:30 EDT on 8 Mar
      ['2026-03-09T04:00:00Z', answered()], // 00:00 EDT on 9 Mar
    ]);
    const s = await new AnalyticsReader(store, { timeZone: () => 'America/New_York' }).summary(
      '7d',
      new Date('2026-03-09T12:00:00Z'),
    );
    expect(s.series.slice(-3).map((p) => [p.at, p.messages])).toEqual([
      ['2026-03-07', 1],
      ['2026-03-08', 2],
      ['2026-03-09', 1],
    ]);
  });

  it('counts UTC days without a time zone, and reads one item per day', async () => {
    const store = await storeWith([
      ['2025-12-05T23:59:59Z', answered()],
      ['2025-12-06T00:00:00Z', answered()],
      ['2026-03-05T00:00:00Z', fallback],
    ]);
    const reads: string[] = [];
    const counting: KeyValueStore = {
      read: (keys: string[]): Promise<StoreItems> => {
        reads.push(...keys);
        return store.read(keys);
      },
      write: (changes) => store.write(changes),
      delete: (keys) => store.delete(keys),
    };
    const s = await new AnalyticsReader(counting).summary('90d', NOW);
    expect(s.timeZone).toBe('UTC');
    expect(s.series).toHaveLength(90);
    expect(s.series[0]).toMatchObject({ at: '2025-12-06', messages: 1 });
    expect(s.series[89]).toMatchObject({ at: '2026-03-05', messages: 1 });
    expect(s.totals.messages).toBe(2);
    expect(reads).toHaveLength(91);
    expect(reads[0]).toBe(dayKey('2025-12-05'));
  });

  it('gives rates as shares of the questions, and none without questions', async () => {
    const store = await storeWith([
      ['2026-03-05T10:00:00Z', answered()],
      ['2026-03-05T10:00:00Z', answered()],
      ['2026-03-05T10:00:00Z', clarify],
      ['2026-03-05T10:00:00Z', fallback],
      ['2026-03-05T10:00:00Z', { kind: 'message', outcome: 'command', lang: 'en', channel: 'webchat' }],
      ['2026-03-05T10:00:00Z', { kind: 'message', outcome: 'red-flag', lang: 'en', channel: 'webchat' }],
    ]);
    const reader = new AnalyticsReader(store);
    const s = await reader.summary('7d', NOW);
    expect(s.rates).toEqual({ answered: 0.5, didYouMean: 0.25, fallback: 0.25 });
    expect(s.totals).toMatchObject({ messages: 6, redFlags: 1, command: 1 });
    const empty = await reader.summary('24h', new Date('2026-04-01T00:00:00Z'));
    expect(empty.rates).toEqual({ answered: null, didYouMean: null, fallback: null });
  });

  it("keeps an entry's last title snapshot after the entry is deleted from the content", async () => {
    const renamed: EntryRef = {
      id: 'redness-duration',
      en: { title: 'How long redness lasts' },
      es: { title: 'Rojez' },
    };
    const deleted: EntryRef = { id: 'redness-duration', en: { title: '' }, es: { title: '' } };
    const store = await storeWith([
      ['2026-03-01T10:00:00Z', answered(REDNESS)],
      ['2026-03-02T10:00:00Z', answered(renamed)],
      ['2026-03-03T10:00:00Z', { kind: 'feedback', reaction: 'down', entry: deleted }],
    ]);
    const s = await new AnalyticsReader(store).summary('7d', NOW);
    expect(s.topEntries).toEqual([
      {
        id: 'redness-duration',
        title: { en: 'How long redness lasts', es: 'Rojez' },
        answered: 2,
        thumbsUp: 0,
        thumbsDown: 1,
      },
    ]);
  });

  it('lists the most answered entries first with their 👍 and 👎, up to the limit', async () => {
    const store = await storeWith([
      ['2026-03-05T10:00:00Z', answered(PAIN)],
      ['2026-03-05T10:00:00Z', answered(REDNESS)],
      ['2026-03-05T11:00:00Z', answered(REDNESS)],
      ['2026-03-05T11:00:00Z', { kind: 'feedback', reaction: 'up', entry: PAIN }],
      ['2026-03-05T12:00:00Z', { kind: 'feedback', reaction: 'down', entry: REDNESS }],
    ]);
    const s = await new AnalyticsReader(store).summary('24h', NOW);
    expect(s.topEntries.map((e) => [e.id, e.answered, e.thumbsUp, e.thumbsDown])).toEqual([
      ['redness-duration', 2, 0, 1],
      ['pain', 1, 1, 0],
    ]);
    expect(s.totals).toMatchObject({ thumbsUp: 1, thumbsDown: 1 });
    const top1 = await new AnalyticsReader(store, { topEntries: 1 }).summary('24h', NOW);
    expect(top1.topEntries.map((e) => e.id)).toEqual(['redness-duration']);
  });

  it('counts languages, channels and consultation requests', async () => {
    const store = await storeWith([
      ['2026-03-05T10:00:00Z', { kind: 'conversation', lang: 'es', channel: 'msteams' }],
      ['2026-03-05T10:00:00Z', fallback],
      ['2026-03-05T10:00:00Z', fallback],
      ['2026-03-05T10:00:00Z', { kind: 'conversation', lang: 'en', channel: 'webchat' }],
      ['2026-03-05T10:00:00Z', answered()],
      ['2026-03-05T10:00:00Z', { kind: 'booking-requested' }],
      ['2026-03-05T11:00:00Z', { kind: 'booking-requested' }],
      ['2026-03-05T12:00:00Z', { kind: 'booking-delivered' }],
    ]);
    const s = await new AnalyticsReader(store).summary('30d', NOW);
    expect(s.languages).toEqual([
      { lang: 'en', conversations: 1, messages: 1 },
      { lang: 'es', conversations: 1, messages: 2 },
    ]);
    expect(s.channels).toEqual([
      { channel: 'msteams', conversations: 1, messages: 2 },
      { channel: 'webchat', conversations: 1, messages: 1 },
    ]);
    expect(s.bookings).toEqual({ requested: 2, delivered: 1 });
    expect(s.totals.conversations).toBe(2);
  });

  it('skips a day it cannot read and falls back to UTC for an unknown time zone', async () => {
    const store = await storeWith([['2026-03-05T10:00:00Z', answered()]]);
    await store.write({ [dayKey('2026-03-04')]: { version: 99, something: 'newer' } });
    // Damaged counts read as nothing rather than failing the page.
    const damaged = { counts: { messages: 'many', fallback: -3 }, answered: [7, 2, 'x', 1], langs: { en: 'two' } };
    await store.write({
      [dayKey('2026-03-03')]: {
        version: 1,
        day: '2026-03-03',
        entries: ['pain'],
        hours: { '10': damaged },
        titles: {},
      },
    });
    const s = await new AnalyticsReader(store, { timeZone: () => 'Mars/Olympus_Mons' }).summary('7d', NOW);
    expect(s.timeZone).toBe('UTC');
    expect(s.totals.messages).toBe(1);
  });

  it('keeps the sums of days that ended over an hour ago, and reads only the recent ones again', async () => {
    const store = await storeWith([
      ['2026-03-01T10:00:00Z', answered()],
      ['2026-03-05T10:00:00Z', answered()],
    ]);
    const reads: string[][] = [];
    const counting: KeyValueStore = {
      read: (keys: string[]): Promise<StoreItems> => {
        reads.push(keys);
        return store.read(keys);
      },
      write: (changes) => store.write(changes),
      delete: (keys) => store.delete(keys),
    };
    const reader = new AnalyticsReader(counting, { timeZone: () => 'Europe/Madrid' });
    const first = await reader.summary('7d', NOW);
    const again = await reader.summary('7d', NOW);
    const wider = await reader.summary('30d', NOW);
    await reader.summary('24h', NOW);
    expect(reads.map((keys) => keys.length)).toEqual([8, 1, 24, 2]);
    expect(again).toEqual(first);
    expect(wider.totals.messages).toBe(2);

    // A count written late into a kept day (an instance whose flushes failed) shows once its sums expire.
    const late = new AnalyticsRecorder(store, { now: () => new Date('2026-03-01T11:00:00Z') });
    late.record(fallback);
    await late.flush();
    expect((await reader.summary('7d', new Date(NOW.getTime() + 60_000))).totals.messages).toBe(2);
    expect((await reader.summary('7d', new Date(NOW.getTime() + 11 * 60_000))).totals.messages).toBe(3);
  });

  it('is plain JSON', async () => {
    const store = await storeWith([['2026-03-05T10:00:00Z', answered()]]);
    const s = await new AnalyticsReader(store).summary('24h', NOW);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

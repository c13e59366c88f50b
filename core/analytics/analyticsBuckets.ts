import { Lang, LANGS } from '../text/language';
import { AnalyticsEvent, Channel, CHANNELS, EntryRef, MessageOutcome } from './analyticsEvents';

/** What is counted per UTC hour. */
export const COUNTERS = [
  'conversations',
  'messages',
  'answered',
  'didYouMean',
  'fallback',
  'redFlags',
  'flow',
  'command',
  'other',
  'thumbsUp',
  'thumbsDown',
  'bookingsRequested',
  'bookingsDelivered',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type AnalyticsCounts = Record<Counter, number>;

/** An hour of a UTC day as a bucket key: "00" to "23". */
export type HourKey = string;

/** The content's id shape (core/content/schemas.ts); it also keeps `__proto__` out of the records. */
export const ENTRY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** One UTC hour's counts. */
export interface HourCounts {
  counts: Partial<Record<Counter, number>>;
  /** Per FAQ entry id: [answered, 👍, 👎]. */
  entries: Record<string, [number, number, number]>;
  /** Per language and per channel: [conversations, messages]. */
  langs: Partial<Record<Lang, [number, number]>>;
  channels: Partial<Record<Channel, [number, number]>>;
}

/**
 * One UTC day's counts as the recorder adds them up (stored compactly: analyticsStoredDay.ts),
 * and the titles each entry had when last counted that day. Nothing in it names a patient.
 */
export interface DayBucket {
  day: string;
  hours: Record<HourKey, HourCounts>;
  titles: Record<string, { en: string; es: string }>;
}

/** The store key of one UTC day's bucket. */
export function dayKey(day: string): string {
  return `analytics/day/${day}`;
}

export function emptyDay(day: string): DayBucket {
  return { day, hours: {}, titles: {} };
}

export function zeroCounts(): AnalyticsCounts {
  return {
    conversations: 0,
    messages: 0,
    answered: 0,
    didYouMean: 0,
    fallback: 0,
    redFlags: 0,
    flow: 0,
    command: 0,
    other: 0,
    thumbsUp: 0,
    thumbsDown: 0,
    bookingsRequested: 0,
    bookingsDelivered: 0,
  };
}

const OUTCOME_COUNTER: Record<MessageOutcome, Counter> = {
  answered: 'answered',
  'did-you-mean': 'didYouMean',
  fallback: 'fallback',
  'red-flag': 'redFlags',
  flow: 'flow',
  command: 'command',
  other: 'other',
};

/** Counts one event into `bucket` at `hour` ("00"–"23", UTC). */
export function countEvent(bucket: DayBucket, hour: HourKey, event: AnalyticsEvent): void {
  const h = ownOr(bucket.hours, hour, emptyHour);
  switch (event.kind) {
    case 'conversation':
    case 'message': {
      const slot = event.kind === 'conversation' ? 0 : 1;
      add(h.counts, event.kind === 'conversation' ? 'conversations' : 'messages', 1);
      (h.langs[event.lang] ??= [0, 0])[slot] += 1;
      (h.channels[event.channel] ??= [0, 0])[slot] += 1;
      if (event.kind === 'message') {
        add(h.counts, OUTCOME_COUNTER[event.outcome], 1);
        if (event.outcome === 'answered') for (const entry of event.entries) countEntry(bucket, h, entry, 0);
      }
      return;
    }
    case 'feedback':
      add(h.counts, event.reaction === 'up' ? 'thumbsUp' : 'thumbsDown', 1);
      countEntry(bucket, h, event.entry, event.reaction === 'up' ? 1 : 2);
      return;
    case 'booking-requested':
      add(h.counts, 'bookingsRequested', 1);
      return;
    case 'booking-delivered':
      add(h.counts, 'bookingsDelivered', 1);
      return;
  }
}

/** Adds every count of `from` to `into`; titles of `from` (the newer snapshot) replace those of `into`. */
export function addDay(into: DayBucket, from: DayBucket): void {
  for (const [hour, h] of Object.entries(from.hours)) {
    const target = ownOr(into.hours, hour, emptyHour);
    for (const c of COUNTERS) add(target.counts, c, h.counts[c] ?? 0);
    for (const [id, counts] of Object.entries(h.entries))
      addTo(
        ownOr(target.entries, id, () => [0, 0, 0]),
        counts,
      );
    for (const lang of LANGS) {
      const counts = h.langs[lang];
      if (counts) addTo((target.langs[lang] ??= [0, 0]), counts);
    }
    for (const channel of CHANNELS) {
      const counts = h.channels[channel];
      if (counts) addTo((target.channels[channel] ??= [0, 0]), counts);
    }
  }
  for (const [id, titles] of Object.entries(from.titles)) into.titles[id] = titles;
}

function emptyHour(): HourCounts {
  return { counts: {}, entries: {}, langs: {}, channels: {} };
}

/** The hour's [answered, 👍, 👎] for an entry, created at zero. */
export function entryCounts(h: HourCounts, id: string): [number, number, number] {
  return ownOr(h.entries, id, () => [0, 0, 0]);
}

function countEntry(bucket: DayBucket, h: HourCounts, entry: EntryRef, slot: 0 | 1 | 2): void {
  if (!ENTRY_ID.test(entry.id) || entry.id.length > 100) return;
  entryCounts(h, entry.id)[slot] += 1;
  // An entry counted without titles (deleted from the content since) keeps the snapshot it had.
  if (entry.en.title && entry.es.title)
    bucket.titles[entry.id] = { en: entry.en.title.slice(0, 200), es: entry.es.title.slice(0, 200) };
}

function add(counts: Partial<Record<Counter, number>>, counter: Counter, n: number): void {
  if (n !== 0) counts[counter] = (counts[counter] ?? 0) + n;
}

function addTo(target: number[], counts: readonly number[]): void {
  counts.forEach((n, i) => (target[i] = (target[i] ?? 0) + n));
}

/** The record's own value at `key`, created when missing ("constructor" is an entry id, not Object's). */
function ownOr<T>(record: Record<string, T>, key: string, make: () => T): T {
  if (Object.hasOwn(record, key)) return record[key];
  const value = make();
  record[key] = value;
  return value;
}

import { z } from 'zod';
import { StoreItem } from '../storage/keyValueStore';
import { Lang, LANGS } from '../text/language';
import { AnalyticsCounts, COUNTERS, zeroCounts } from './analyticsBuckets';
import { Channel, CHANNELS } from './analyticsEvents';
import { ENTRY_SLOTS } from './analyticsStoredDay';

/** What a summary adds up over some hours. */
export interface Sums {
  counts: AnalyticsCounts;
  /** Per entry id: [answered, 👍, 👎]. */
  entries: Map<string, number[]>;
  /** Per language and channel: [conversations, messages]. */
  langs: Map<Lang, number[]>;
  channels: Map<Channel, number[]>;
}

/** A stored day summed by the point (hour or local day) each of its hours counts under. */
export interface DayDigest {
  groups: Map<string, Sums>;
  /** The titles the day's bucket holds, per entry id (checked when shown). */
  titles: Map<string, unknown>;
}

/**
 * Only a stored day's envelope is parsed with zod: a full parse of 90 busy days (StoredDaySchema,
 * some 200,000 per-hour entry counts) took half of the page's one-second budget. The counts are
 * read as they are summed instead, and anything that is not a count reads as 0.
 */
const EnvelopeSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.string()),
  hours: z.record(z.string(), z.unknown()),
  titles: z.record(z.string(), z.unknown()),
});
const HOUR = /^([01]\d|2[0-3])$/;

/**
 * Sums the hours of a stored UTC day by `groupOf(hour's start)`, leaving out hours it gives no
 * group; undefined when the day is absent or another version's (the recorder reports those).
 */
export function digestDay(
  item: StoreItem | undefined,
  day: string,
  groupOf: (hourStart: number) => string | undefined,
): DayDigest | undefined {
  const stored = item ? EnvelopeSchema.safeParse(item).data : undefined;
  if (!stored) return undefined;
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const groups = new Map<string, Sums>();
  for (const [hour, h] of Object.entries(stored.hours)) {
    const group = HOUR.test(hour) ? groupOf(midnight + Number(hour) * 3_600_000) : undefined;
    if (group === undefined) continue;
    const sums = groups.get(group) ?? emptySums();
    groups.set(group, sums);
    const counts = field(h, 'counts');
    for (const c of COUNTERS) sums.counts[c] += countOf(field(counts, c));
    ENTRY_SLOTS.forEach((slot, i) => {
      const list = field(h, slot);
      if (!Array.isArray(list)) return;
      for (let p = 0; p + 1 < list.length; p += 2) {
        const position: unknown = list[p];
        const id: string | undefined =
          typeof position === 'number' && Number.isInteger(position) && position >= 0
            ? stored.entries[position]
            : undefined;
        if (id === undefined) continue;
        const target = sums.entries.get(id) ?? [0, 0, 0];
        sums.entries.set(id, target);
        target[i] += countOf(list[p + 1]);
      }
    });
    for (const lang of LANGS) addTuple(sums.langs, lang, field(field(h, 'langs'), lang), 2);
    for (const channel of CHANNELS) addTuple(sums.channels, channel, field(field(h, 'channels'), channel), 2);
  }
  return { groups, titles: new Map(Object.entries(stored.titles)) };
}

export function emptySums(): Sums {
  return { counts: zeroCounts(), entries: new Map(), langs: new Map(), channels: new Map() };
}

export function addSums(into: Sums, from: Sums): void {
  for (const c of COUNTERS) into.counts[c] += from.counts[c];
  for (const [id, n] of from.entries) addTuple(into.entries, id, n, 3);
  for (const [lang, n] of from.langs) addTuple(into.langs, lang, n, 2);
  for (const [channel, n] of from.channels) addTuple(into.channels, channel, n, 2);
}

/** Adds a tuple of counts to the key's sums; a stored value that is not one adds nothing. */
function addTuple<K>(map: Map<K, number[]>, key: K, stored: unknown, size: number): void {
  if (!Array.isArray(stored)) return;
  const target = map.get(key) ?? new Array<number>(size).fill(0);
  map.set(key, target);
  for (let i = 0; i < size; i++) target[i] += countOf(stored[i]);
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name)
    ? Reflect.get(value, name)
    : undefined;
}

function countOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

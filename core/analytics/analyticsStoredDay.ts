import { z } from 'zod';
import { COUNTERS, DayBucket, ENTRY_ID, entryCounts, HourCounts } from './analyticsBuckets';
import { CHANNELS } from './analyticsEvents';

const count = z.number().int().nonnegative();
const pair = z.tuple([count, count]);
/** [position in the day's `entries`, count, position, count, …] */
const positions = z.array(count).refine((list) => list.length % 2 === 0, 'pairs of an entry position and a count');
const entryId = z.string().max(100).regex(ENTRY_ID);
/** Where each entry's counts go: the position of [answered, 👍, 👎]. */
export const ENTRY_SLOTS = ['answered', 'thumbsUp', 'thumbsDown'] as const;

const StoredHourSchema = z.object({
  counts: z.partialRecord(z.enum(COUNTERS), count),
  answered: positions.optional(),
  thumbsUp: positions.optional(),
  thumbsDown: positions.optional(),
  /** Per language and per channel: [conversations, messages]. */
  langs: z.partialRecord(z.enum(['en', 'es']), pair),
  channels: z.partialRecord(z.enum(CHANNELS), pair),
});
type StoredHour = z.infer<typeof StoredHourSchema>;

/**
 * One UTC day as stored (`analytics/day/<yyyy-mm-dd>`): counters per UTC hour, each entry named
 * once a day (`entries`) and by its position in the hours, which keeps 90 busy days small and
 * quick to read; and the titles each entry had when last counted that day. Nothing names a patient.
 */
export const StoredDaySchema = z
  .object({
    version: z.literal(1),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    entries: z.array(entryId),
    hours: z.record(z.string().regex(/^([01]\d|2[0-3])$/), StoredHourSchema),
    titles: z.record(entryId, z.object({ en: z.string().max(200), es: z.string().max(200) })),
  })
  .refine(
    (d) =>
      Object.values(d.hours).every((h) =>
        ENTRY_SLOTS.every((slot) => (h[slot] ?? []).every((n, i) => i % 2 === 1 || n < d.entries.length)),
      ),
    'an hour names an entry position the day does not list',
  );
export type StoredDay = z.infer<typeof StoredDaySchema>;

/** The day as stored: each entry id listed once, the hours naming entries by position. */
export function toStored(bucket: DayBucket): StoredDay {
  const entries: string[] = [];
  const position = new Map<string, number>();
  const hours: Record<string, StoredHour> = {};
  for (const [hour, h] of Object.entries(bucket.hours)) {
    const stored: StoredHour = { counts: h.counts, langs: h.langs, channels: h.channels };
    for (const [id, counts] of Object.entries(h.entries)) {
      const at = position.get(id) ?? entries.push(id) - 1;
      position.set(id, at);
      ENTRY_SLOTS.forEach((slot, i) => {
        if (counts[i] > 0) (stored[slot] ??= []).push(at, counts[i]);
      });
    }
    hours[hour] = stored;
  }
  return { version: 1, day: bucket.day, entries, hours, titles: bucket.titles };
}

/** The stored day as counts to add to. */
export function fromStored(stored: StoredDay): DayBucket {
  const hours: Record<string, HourCounts> = {};
  for (const [hour, h] of Object.entries(stored.hours)) {
    const counts: HourCounts = {
      counts: { ...h.counts },
      entries: {},
      langs: { ...h.langs },
      channels: { ...h.channels },
    };
    ENTRY_SLOTS.forEach((slot, i) => {
      const list = h[slot] ?? [];
      for (let p = 0; p + 1 < list.length; p += 2) entryCounts(counts, stored.entries[list[p]])[i] += list[p + 1];
    });
    hours[hour] = counts;
  }
  return { day: stored.day, hours, titles: { ...stored.titles } };
}

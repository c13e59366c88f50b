import { z } from 'zod';
import { KeyValueStore } from '../storage/keyValueStore';
import { Lang, LANGS } from '../text/language';
import { AnalyticsCounts, dayKey } from './analyticsBuckets';
import { addSums, DayDigest, digestDay, emptySums, Sums } from './analyticsDigest';
import { Channel } from './analyticsEvents';
import { analyticsWindow, AnalyticsRange, knownTimeZone } from './analyticsWindow';

export { ANALYTICS_RANGES } from './analyticsWindow';
export type { AnalyticsRange } from './analyticsWindow';
export type { AnalyticsCounts } from './analyticsBuckets';

/** One point of a chart: the counts of one hour or one day. */
export type AnalyticsPoint = { at: string } & AnalyticsCounts;

/** An FAQ entry's figures, under the titles it had when last counted (it may be deleted since). */
export interface EntryFigures {
  id: string;
  title: { en: string; es: string };
  answered: number;
  thumbsUp: number;
  thumbsDown: number;
}

/** What the staff console shows for one range; plain JSON. */
export interface AnalyticsSummary {
  range: AnalyticsRange;
  /** The series' step: an hour for 24h, a day for 7d, 30d and 90d. */
  granularity: 'hour' | 'day';
  /** The zone days are counted in (the clinic's); hours are UTC hours. */
  timeZone: string;
  /** The start of the first hour counted, and the time of the summary (ISO instants). */
  from: string;
  to: string;
  totals: AnalyticsCounts;
  /** Shares of the questions (answered + did-you-mean + fallback), 0–1; null when there were none. */
  rates: { answered: number | null; didYouMean: number | null; fallback: number | null };
  /**
   * Oldest first, every point present (zeros included): `at` is the hour's start (ISO, UTC) for
   * 24h, the day (YYYY-MM-DD in `timeZone`) otherwise.
   */
  series: AnalyticsPoint[];
  /** Most answered first (then most 👍/👎), at most `topEntries` of them. */
  topEntries: EntryFigures[];
  languages: { lang: Lang; conversations: number; messages: number }[];
  /** Channels with any traffic, busiest first. */
  channels: { channel: Channel; conversations: number; messages: number }[];
  bookings: { requested: number; delivered: number };
}

export interface AnalyticsReaderOptions {
  /** The clinic's time zone (IANA), read on every summary; days are UTC days without it. */
  timeZone?: () => string;
  /** How many entries `topEntries` lists (default 50). */
  topEntries?: number;
}

const DAY_MS = 86_400_000;
/** A UTC day this long over is no longer written to (recorders flush every few seconds): its sums are kept. */
const SEALED_AFTER_MS = 3_600_000;
/** How long kept sums are used: counts a failing instance writes late show up within this. */
const KEPT_FOR_MS = 600_000;
const KEPT_DAYS = 400;
const TitleSchema = z.object({ en: z.string(), es: z.string() });

/**
 * Sums the stored day buckets (see AnalyticsRecorder) into the console's figures: one read per
 * UTC day of the range. The sums of days that ended over an hour ago are kept for ten minutes,
 * so a page shown again reads only today and yesterday.
 */
export class AnalyticsReader {
  private readonly kept = new Map<string, { digest: DayDigest | undefined; until: number }>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: AnalyticsReaderOptions = {},
  ) {}

  async summary(range: AnalyticsRange, now: Date): Promise<AnalyticsSummary> {
    const timeZone = knownTimeZone(this.options.timeZone?.() ?? 'UTC');
    const window = analyticsWindow(range, now, timeZone);
    const at = now.getTime();
    // Per day: its kept sums (day ranges, sealed days), else read and summed now.
    const keepable = (day: string): string | undefined =>
      window.granularity === 'day' && Date.parse(`${day}T00:00:00Z`) + DAY_MS + SEALED_AFTER_MS <= at
        ? `${timeZone}|${day}`
        : undefined;
    const found = new Map(
      window.days.map((day) => {
        const key = keepable(day);
        const kept = key === undefined ? undefined : this.kept.get(key);
        return [day, kept && kept.until > at ? kept : undefined];
      }),
    );
    const toRead = window.days.filter((day) => !found.get(day));
    const items = toRead.length > 0 ? await this.store.read(toRead.map(dayKey)) : {};
    const series = new Map(window.labels.map((label) => [label, emptySums()]));
    const titles = new Map<string, unknown>();
    for (const day of window.days) {
      const key = keepable(day);
      const kept = found.get(day);
      // A kept day is summed by local day whatever the range; the range picks the days it shows.
      const digest = kept ? kept.digest : digestDay(items[dayKey(day)], day, key ? window.groupOf : window.labelOf);
      if (!kept && key) this.keep(key, digest, at);
      for (const [label, sums] of digest?.groups ?? []) {
        const point = series.get(label);
        if (point) addSums(point, sums);
      }
      // Days come oldest first: the newest snapshot of a title wins.
      for (const [id, title] of digest?.titles ?? []) titles.set(id, title);
    }
    const all = emptySums();
    for (const sums of series.values()) addSums(all, sums);
    return this.shape(range, window.granularity, timeZone, window.from, now, series, all, titles);
  }

  private keep(key: string, digest: DayDigest | undefined, at: number): void {
    this.kept.delete(key);
    this.kept.set(key, { digest, until: at + KEPT_FOR_MS });
    const oldest = this.kept.keys().next().value;
    if (this.kept.size > KEPT_DAYS && oldest !== undefined) this.kept.delete(oldest);
  }

  private shape(
    range: AnalyticsRange,
    granularity: 'hour' | 'day',
    timeZone: string,
    from: number,
    now: Date,
    series: Map<string, Sums>,
    all: Sums,
    titles: Map<string, unknown>,
  ): AnalyticsSummary {
    const { counts: totals } = all;
    const questions = totals.answered + totals.didYouMean + totals.fallback;
    const rate = (n: number): number | null => (questions === 0 ? null : Math.round((n / questions) * 10_000) / 10_000);
    const pair = (n: number[] | undefined) => ({ conversations: n?.[0] ?? 0, messages: n?.[1] ?? 0 });
    return {
      range,
      granularity,
      timeZone,
      from: new Date(from).toISOString(),
      to: now.toISOString(),
      totals,
      rates: { answered: rate(totals.answered), didYouMean: rate(totals.didYouMean), fallback: rate(totals.fallback) },
      series: [...series].map(([at, sums]) => ({ at, ...sums.counts })),
      topEntries: [...all.entries]
        .map(([id, [answered, thumbsUp, thumbsDown]]) => ({
          id,
          title: TitleSchema.safeParse(titles.get(id)).data ?? { en: id, es: id },
          answered,
          thumbsUp,
          thumbsDown,
        }))
        .sort(
          (a, b) =>
            b.answered - a.answered ||
            b.thumbsUp + b.thumbsDown - (a.thumbsUp + a.thumbsDown) ||
            a.id.localeCompare(b.id),
        )
        .slice(0, this.options.topEntries ?? 50),
      languages: LANGS.map((lang) => ({ lang, ...pair(all.langs.get(lang)) })),
      channels: [...all.channels]
        .map(([channel, n]) => ({ channel, ...pair(n) }))
        .sort((a, b) => b.messages - a.messages || b.conversations - a.conversations),
      bookings: { requested: totals.bookingsRequested, delivered: totals.bookingsDelivered },
    };
  }
}

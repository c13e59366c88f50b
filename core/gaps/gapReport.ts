import { isStopword, Lang, stem } from '../text/language';
import { normalizeText, tokenize } from '../text/normalize';

/** One question the bot could not answer well, as stored for staff. */
export interface GapRecord {
  /** Stable and unique: a staff tool can point at one record (random when recorded). */
  id: string;
  /** ISO time. */
  at: string;
  lang: Lang;
  /** Already scrubbed of personal data. */
  text: string;
  kind: 'fallback' | 'low-confidence' | 'unhelpful';
  /** The entry the bot offered, when it offered one. */
  faqId?: string;
  confidence?: number;
}

/** Similar unanswered questions counted together. */
export interface GapGroup {
  /** The newest text of the group. */
  example: string;
  /** Distinct texts, newest first. */
  texts: string[];
  count: number;
  /** ISO time of the newest record. */
  newest: string;
  kinds: Record<string, number>;
  lang: Lang;
  /** Distinct entries offered, newest first. */
  faqIds: string[];
  /** The ids of the group's records, newest first. */
  ids: string[];
}

interface Cluster {
  lang: Lang;
  records: GapRecord[];
  /** How many of the group's records hold each stem: the centroid, unnormalised. */
  centroid: Map<string, number>;
  /** Set for groups of records with no content words: those group by their normalised text. */
  textKey?: string;
}

function contentStems(lang: Lang, text: string): Set<string> {
  return new Set(tokenize(text).flatMap((t) => (isStopword(lang, t) ? [] : [stem(lang, t)])));
}

/** Cosine between a record's stems (each weight 1) and a group's centroid. */
function cosine(stems: ReadonlySet<string>, centroid: ReadonlyMap<string, number>): number {
  let dot = 0;
  let norm = 0;
  for (const [s, n] of centroid) {
    norm += n * n;
    if (stems.has(s)) dot += n;
  }
  return dot === 0 ? 0 : dot / Math.sqrt(stems.size * norm);
}

/** Unparseable times sort as oldest rather than breaking the order. */
function timeOf(record: GapRecord): number {
  const t = Date.parse(record.at);
  return Number.isNaN(t) ? -Infinity : t;
}

/** "How much?" and "how much" are the same phrasing to a reader; the newest spelling is kept. */
function distinctTexts(records: readonly GapRecord[]): string[] {
  const seen = new Set<string>();
  return records.flatMap((r) => {
    const key = normalizeText(r.text);
    if (seen.has(key)) return [];
    seen.add(key);
    return [r.text];
  });
}

function toGroup(cluster: Cluster): GapGroup {
  const { records } = cluster;
  const kinds: Record<string, number> = {};
  for (const r of records) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  return {
    example: records[0].text,
    texts: distinctTexts(records),
    count: records.length,
    newest: records[0].at,
    kinds,
    lang: cluster.lang,
    faqIds: [...new Set(records.flatMap((r) => (r.faqId === undefined ? [] : [r.faqId])))],
    ids: records.map((r) => r.id),
  };
}

/** Groups unanswered questions by shared content words, per language, newest first. */
export function groupGaps(records: readonly GapRecord[], similarity = 0.5): GapGroup[] {
  // Newest first, so each group's first record is its newest; the stable sort keeps ties in input order.
  const ordered = records
    .map((record, index) => ({ record, index, time: timeOf(record) }))
    .sort((a, b) => (b.time === a.time ? a.index - b.index : b.time > a.time ? 1 : -1))
    .map((o) => o.record);

  const clusters: Cluster[] = [];
  for (const record of ordered) {
    const stems = contentStems(record.lang, record.text);
    if (stems.size === 0) {
      // "??", "hi": nothing to compare, so only the same text counts as the same question.
      const textKey = normalizeText(record.text);
      const same = clusters.find((c) => c.lang === record.lang && c.textKey === textKey);
      if (same) same.records.push(record);
      else clusters.push({ lang: record.lang, records: [record], centroid: new Map(), textKey });
      continue;
    }
    // Greedy: the first (newest) group that is similar enough wins, which keeps the result deterministic.
    const home = clusters.find(
      (c) => c.lang === record.lang && c.textKey === undefined && cosine(stems, c.centroid) >= similarity,
    );
    if (home) {
      home.records.push(record);
      for (const s of stems) home.centroid.set(s, (home.centroid.get(s) ?? 0) + 1);
    } else {
      clusters.push({ lang: record.lang, records: [record], centroid: new Map([...stems].map((s) => [s, 1])) });
    }
  }

  const groups = clusters.map((c) => ({ group: toGroup(c), time: timeOf(c.records[0]) }));
  groups.sort((a, b) => {
    if (a.time !== b.time) return b.time > a.time ? 1 : -1;
    if (a.group.count !== b.group.count) return b.group.count - a.group.count;
    return a.group.example < b.group.example ? -1 : a.group.example > b.group.example ? 1 : 0;
  });
  return groups.map((g) => g.group);
}

const DEFAULT_LIMIT = 50;
const OTHER_TEXTS = 3;
const EXAMPLE_WIDTH = 100;

function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function formatKinds(kinds: Record<string, number>): string {
  return Object.entries(kinds)
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1))
    .map(([kind, n]) => `${kind}:${n}`)
    .join(' ');
}

/** Patients can type newlines and essays; one line each keeps the table readable. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXAMPLE_WIDTH ? `${flat.slice(0, EXAMPLE_WIDTH - 1)}…` : flat;
}

/** Renders groups as a plain-text table for a terminal, with up to three other phrasings under each. */
export function formatGapReport(groups: readonly GapGroup[], options?: { limit?: number }): string {
  if (groups.length === 0) return 'No unanswered questions.';
  // A CLI may pass NaN for a missing "--limit" value; that means the default, not an empty report.
  const requested = options?.limit;
  const limit =
    requested !== undefined && Number.isFinite(requested) ? Math.max(0, Math.floor(requested)) : DEFAULT_LIMIT;
  const shown = groups.slice(0, limit);
  const header = ['COUNT', 'NEWEST', 'LANG', 'KINDS', 'EXAMPLE'];
  const rows = shown.map((g) => [
    String(g.count),
    formatTime(g.newest),
    g.lang,
    formatKinds(g.kinds),
    oneLine(g.example),
  ]);
  // The last column is left unpadded so lines carry no trailing spaces.
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < widths.length ? (i === 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])) : c)).join('  ');
  const indent = ' '.repeat(widths.reduce((sum, w) => sum + w + 2, 0));

  const lines = [line(header)];
  shown.forEach((g, i) => {
    lines.push(line(rows[i]));
    const others = g.texts.slice(1);
    for (const t of others.slice(0, OTHER_TEXTS)) lines.push(`${indent}- ${oneLine(t)}`);
    if (others.length > OTHER_TEXTS) lines.push(`${indent}(+${others.length - OTHER_TEXTS} more)`);
  });
  if (groups.length > shown.length) lines.push(`… ${groups.length - shown.length} more groups not shown`);
  return lines.join('\n');
}

// One message is normalised by several checks in a row; remembering the last few saves the work.
const recent = new Map<string, string>();
const RECENT_LIMIT = 8;

/** Lower-cases, strips accents and punctuation so "¿Cuántas sesiones?" and "cuantas sesiones" compare equal. */
export function normalizeText(text: string): string {
  const known = recent.get(text);
  if (known !== undefined) return known;
  const normalized = normalize(text);
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  recent.set(text, normalized);
  return normalized;
}

/** Lower-cases and strips accents, keeping punctuation ("¿Cuándo, ya?" → "¿cuando, ya?"). */
export function foldAccents(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function normalize(text: string): string {
  return (
    foldAccents(text)
      .replace(/[’‘`´]/g, "'")
      .replace(/(\w)'(s|re|ve|ll|d|m|t)\b/g, '$1 $2')
      .replace(/'/g, ' ')
      // Contractions typed without the apostrophe ("cant breathe") read like the ones with it.
      .replace(/\b(can|won|don|didn|doesn|isn|aren|wasn|weren|haven|hasn|couldn|shouldn|wouldn)t\b/g, '$1 t')
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Splits normalised text into word tokens. */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** Whether the words hold `phrase` (normalised words) at `at`. */
export function phraseAt(words: readonly string[], at: number, phrase: readonly string[]): boolean {
  return phrase.every((w, k) => words[at + k] === w);
}

/** Whether the words hold `phrase` (normalised words) anywhere. */
export function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  return words.some((_, i) => phraseAt(words, i, phrase));
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const cur = new Array<number>(cols).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, prevPrev[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[cols - 1];
}

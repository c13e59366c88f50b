import { RedFlag, RedFlagsFile } from '../content/schemas';
import { Lang, LANGS } from '../text/language';
import { normalizeText, phraseAt } from '../text/normalize';

export interface RedFlagHit {
  flag: RedFlag;
  /** The language whose pattern matched. */
  lang: Lang;
}

export interface RedFlagResult {
  hits: RedFlagHit[];
  /** "emergency" when any hit is, otherwise "urgent"; undefined when nothing fired. */
  level?: RedFlag['level'];
}

interface PatternToken {
  text: string;
  prefix: boolean;
  /** Written with `=` at its end: only this word, no slip ("weeks=" is not "week"). */
  exact: boolean;
  /** Index among the detector's distinct pattern words. */
  id: number;
}

interface CompiledPattern {
  flag: RedFlag;
  lang: Lang;
  tokens: PatternToken[];
}

interface CompiledCombo {
  flag: RedFlag;
  lang: Lang;
  groups: PatternToken[][];
}

/** Words a phrase may skip between two of its own words ("throat is really swelling"). */
const MAX_GAP = 3;
/** A two-word phrase of words this short skips nothing (see `matches`). */
const SHORT_WORD = 3;
/** How far before a match a negation may stand ("no fever", "no tengo fiebre"). */
const NEGATION_WINDOW = 3;
/** Words an account needs before an asking tail ("…, is that normal?") for the tail to be set aside. */
const MIN_TOLD_WORDS = 4;

/** How many words a combination may span ("the redness on my cheek is spreading"). */
const COMBO_WINDOW = 8;

const WORD_CACHE_LIMIT = 20000;

/**
 * Finds warning signs in a message, in both languages at once (patients mix them), tolerant of
 * small typos, ignoring negated mentions ("no fever, just a bit red").
 */
export class RedFlagDetector {
  /** Phrases indexed by their first word, so a message only tries phrases that can start in it. */
  private readonly patternsByFirstWord = new Map<number, CompiledPattern[]>();
  private readonly combos: CompiledCombo[];
  /** Combinations that fire anywhere in a sentence telling what happened (see `accountSentence`). */
  private readonly accounts: CompiledCombo[];
  private readonly hedges: string[][];
  private readonly general: string[][];
  private readonly hearsay: string[][];
  private readonly personal: string[][];
  private readonly askingTails: string[][];
  private readonly askingOpeners: string[][];
  private readonly ongoing: string[][];
  private readonly seekingTreatment: string[][];
  private readonly hadTreatment: string[][];
  /** Per sign, the words that keep it quiet in their message (its `unless`, both languages). */
  private readonly unless = new Map<string, string[][]>();
  private readonly negations: string[][];
  private readonly negationsAndWhatIfs: string[][];
  private readonly breaks: Set<string>;
  private readonly words: PatternToken[] = [];
  private readonly wordIds = new Map<string, PatternToken>();
  /** Message word → ids of the pattern words it matches (typo-tolerant), computed once per word. */
  private readonly wordCache = new Map<string, number[]>();

  private compileToken(word: string): PatternToken {
    const exact = word.endsWith('=');
    const t = normalizeText(word.replace(/\*/g, 'STAR'));
    const [text, prefix] = t.endsWith('star') ? [t.slice(0, -4), true] : [t, false];
    const key = `${prefix ? '*' : ''}${exact ? '=' : ''}${text}`;
    let token = this.wordIds.get(key);
    if (!token) {
      token = { text, prefix, exact, id: this.words.length };
      this.words.push(token);
      this.wordIds.set(key, token);
    }
    return token;
  }

  constructor(file: RedFlagsFile) {
    const patterns: CompiledPattern[] = file.flags.flatMap((flag) =>
      LANGS.flatMap((lang) =>
        flag[lang].patterns.map((p) => ({
          flag,
          lang,
          tokens: p
            .split(/\s+/)
            .flatMap((w) => (normalizeText(w.replace(/\*/g, '')) === '' ? [] : [this.compileToken(w)])),
        })),
      ),
    );
    for (const p of patterns) {
      const list = this.patternsByFirstWord.get(p.tokens[0].id) ?? [];
      list.push(p);
      this.patternsByFirstWord.set(p.tokens[0].id, list);
    }
    const groupsOf = (key: 'combos' | 'accounts'): CompiledCombo[] =>
      file.flags.flatMap((flag) =>
        LANGS.flatMap((lang) =>
          flag[lang][key].map((groups) => ({
            flag,
            lang,
            groups: groups.map((g) => g.map((w) => this.compileToken(w))),
          })),
        ),
      );
    this.combos = groupsOf('combos');
    this.accounts = groupsOf('accounts');
    for (const flag of file.flags) {
      const words = phrases({ en: flag.en.unless, es: flag.es.unless });
      if (words.length > 0) this.unless.set(flag.id, words);
    }
    this.hedges = phrases(file.hedges);
    this.hearsay = phrases(file.hearsay);
    this.general = phrases(file.general);
    this.personal = phrases(file.personal);
    this.askingTails = phrases(file.askingTails);
    this.askingOpeners = phrases(file.askingOpeners);
    this.ongoing = phrases(file.ongoing);
    this.seekingTreatment = phrases(file.seekingTreatment);
    this.hadTreatment = phrases(file.hadTreatment);
    this.negations = phrases(file.negations);
    this.negationsAndWhatIfs = [...this.negations, ...phrases(file.hypotheticals)];
    this.breaks = new Set(LANGS.flatMap((l) => file.clauseBreaks[l].map(normalizeText)));
  }

  detect(message: string): RedFlagResult {
    const hits = new Map<string, RedFlagHit>();
    // A sign's `unless` reads the whole message: "I had acne as a teenager. Now I'm left with scars."
    // It is read only once a sign is about to fire, as are a sentence's tone words below: most
    // messages name no warning sign at all.
    let whole: string[] | undefined;
    const wholeWords = (): string[] => (whole ??= normalizeText(message).split(' '));
    let quiet: Set<string> | undefined;
    const quietIn = (): Set<string> => (quiet ??= this.quietSigns(wholeWords()));
    let seeking: boolean | undefined;
    const seeksTreatment = (): boolean => (seeking ??= this.seeksTreatment(wholeWords()));
    // Sentences are checked one by one so a negation never reaches across a full stop.
    for (const { sentence, question } of sentencesOf(message)) {
      const tokens = normalizeText(sentence).split(' ').filter(Boolean);
      if (tokens.length === 0) continue;
      const matched = tokens.map((t) => this.wordsMatching(t));
      const present = new Set<number>();
      for (const m of matched) for (const id of m) present.add(id);
      if (present.size === 0) continue;
      let tone: { hedged: boolean; general: boolean } | undefined;
      const toneOf = () => (tone ??= this.toneOf(tokens, question));
      const open = (flag: RedFlag) =>
        !hits.has(flag.id) &&
        !quietIn().has(flag.id) &&
        !(flag.level === 'urgent' && (toneOf().general || seeksTreatment()));
      for (const id of present) {
        for (const p of this.patternsByFirstWord.get(id) ?? []) {
          if (!p.tokens.every((t) => present.has(t.id)) || !open(p.flag)) continue;
          if (this.matches(tokens, matched, p.tokens)) hits.set(p.flag.id, { flag: p.flag, lang: p.lang });
        }
      }
      for (const c of this.combos) {
        if (!c.groups.every((g) => g.some((t) => present.has(t.id))) || !open(c.flag)) continue;
        if (this.comboMatches(tokens, matched, c.groups)) hits.set(c.flag.id, { flag: c.flag, lang: c.lang });
      }
      // A question is not an account, unless it only asks about the account before it ("…, is that normal?").
      const told = question ? this.beforeAskingTail(tokens) : tokens.length;
      if (told === 0) continue;
      const account = told === tokens.length ? tokens : tokens.slice(0, told);
      // Hedged where the account's words stand ("slightly sore lips, even though…"), or in the
      // last clause ("…, but it went away").
      const lastHedged = () => (told === tokens.length ? toneOf().hedged : this.toneOf(account).hedged);
      const hedged = (groups: PatternToken[][]) => {
        const clause = this.clauseOf(account, matched, groups);
        return lastHedged() || (clause.length < account.length && containsAny(clause, this.hedges));
      };
      for (const a of this.accounts) {
        if (!a.groups.every((g) => g.some((t) => present.has(t.id))) || !open(a.flag) || hedged(a.groups)) continue;
        if (this.accountMatches(account, matched, a.groups)) hits.set(a.flag.id, { flag: a.flag, lang: a.lang });
      }
    }
    const list = [...hits.values()];
    const level =
      list.length === 0 ? undefined : list.some((h) => h.flag.level === 'emergency') ? 'emergency' : 'urgent';
    return { hits: list, level };
  }

  /**
   * How many words of a question tell something before a tail that only asks about it ("…, is that
   * normal?"), or 0 when it asks outright ("is it normal to still be red?").
   */
  private beforeAskingTail(tokens: string[]): number {
    for (const tail of this.askingTails) {
      const at = tokens.length - tail.length;
      if (at >= MIN_TOLD_WORDS && phraseAt(tokens, at, tail)) return at;
    }
    return 0;
  }

  /**
   * Whether the message asks if the treatment can help with the skin the patient has, and never says
   * it was done ("mottled skin from years of sun. Would microneedling help even it out?").
   */
  private seeksTreatment(words: string[]): boolean {
    return containsAny(words, this.seekingTreatment) && !containsAny(words, this.hadTreatment);
  }

  /** The signs whose `unless` words the message names. */
  private quietSigns(whole: string[]): Set<string> {
    return new Set([...this.unless].flatMap(([id, words]) => (containsAny(whole, words) ? [id] : [])));
  }

  /**
   * A sentence's tone. Only the last clause sets it: "there could be some redness, but it got much
   * worse". Hedged: a general statement, where accounts stay quiet. General: "if redness persists it
   * may be a reaction" is information about anyone, "¿da fiebre?" asks about a risk (`askingOpeners`),
   * and "I read that women got HIV at a spa" is something heard of, not what happened to the writer:
   * no urgent sign fires.
   */
  private toneOf(tokens: string[], question = false): { hedged: boolean; general: boolean } {
    const last = this.lastClause(tokens);
    const nobody = !containsAny(tokens, this.personal);
    return {
      hedged: containsAny(last, this.hedges),
      general:
        (containsAny(last, this.general) && nobody) ||
        (question && this.asksAboutRisk(tokens)) ||
        containsAny(tokens, this.hearsay),
    };
  }

  /**
   * "¿Da fiebre?", "could I have a reaction to the serum?": a question opening on a risk, with nobody
   * in particular after the opening and nothing happening now.
   */
  private asksAboutRisk(tokens: string[]): boolean {
    const opener = this.askingOpeners.find((o) => phraseAt(tokens, 0, o));
    if (!opener) return false;
    const rest = tokens.slice(opener.length);
    return !containsAny(rest, this.personal) && !containsAny(rest, this.ongoing);
  }

  private wordsMatching(word: string): number[] {
    let ids = this.wordCache.get(word);
    if (!ids) {
      ids = this.words.filter((p) => tokenMatches(word, p)).map((p) => p.id);
      if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
      this.wordCache.set(word, ids);
    }
    return ids;
  }

  private matches(tokens: string[], matched: number[][], pattern: PatternToken[]): boolean {
    for (let start = 0; start < tokens.length; start++) {
      if (!matched[start].includes(pattern[0].id) || this.negatedAt(tokens, start)) continue;
      let pos = start;
      let ok = true;
      for (let k = 1; k < pattern.length && ok; k++) {
        ok = false;
        // Two short words (an abbreviation: "a e" for A&E, "the er") are read only as written:
        // "a vitamin e" is not A&E, "the doctor er" is not the ER.
        const gap = pattern.length === 2 && pattern.every((t) => t.text.length <= SHORT_WORD) ? 0 : MAX_GAP;
        for (let next = pos + 1; next <= pos + 1 + gap && next < tokens.length; next++) {
          if (matched[next].includes(pattern[k].id)) {
            // A negation in the words skipped turns the phrase round: "my throat isn't swollen".
            ok = !this.negatedAt(tokens, next, this.negations, pos);
            pos = next;
            break;
          }
        }
      }
      if (ok) return true;
    }
    return false;
  }

  /** One word of every group within a short span, the earliest of them not negated. */
  private comboMatches(tokens: string[], matched: number[][], groups: PatternToken[][]): boolean {
    const positions = groups.map((g) =>
      tokens.flatMap((_, i) => (g.some((p) => matched[i].includes(p.id)) ? [i] : [])),
    );
    if (positions.some((p) => p.length === 0)) return false;
    for (const anchor of positions[0]) {
      const chosen = positions.map((ps) =>
        ps.reduce((best, i) => (Math.abs(i - anchor) < Math.abs(best - anchor) ? i : best)),
      );
      const from = Math.min(...chosen);
      if (Math.max(...chosen) - from > COMBO_WINDOW || this.negatedAt(tokens, from, this.negationsAndWhatIfs)) continue;
      if (!chosen.some((i) => i > from && this.negatedAt(tokens, i, this.negations, from))) return true;
    }
    return false;
  }

  /** Every group has a word somewhere in the sentence that no negation or what-if stands before. */
  private accountMatches(tokens: string[], matched: number[][], groups: PatternToken[][]): boolean {
    return groups.every((g) =>
      tokens.some(
        (_, i) => g.some((p) => matched[i].includes(p.id)) && !this.negatedAt(tokens, i, this.negationsAndWhatIfs),
      ),
    );
  }

  /**
   * The clause where an account is told: the last one holding one of its words ("I woke up with
   * slightly sore lips, even though that area was spared" is told in its first clause).
   */
  private clauseOf(tokens: string[], matched: number[][], groups: PatternToken[][]): string[] {
    const ids = new Set(groups.flatMap((g) => g.map((p) => p.id)));
    let end = tokens.length;
    for (let i = tokens.length - 1; i > 0; i--) {
      if (!this.breaks.has(tokens[i])) continue;
      if (matched.slice(i + 1, end).some((m) => m.some((id) => ids.has(id)))) break;
      end = i;
    }
    return this.lastClause(tokens.slice(0, end));
  }

  /** The words after the sentence's last "but" ("pero", "however"…), or all of them. */
  private lastClause(tokens: string[]): string[] {
    for (let i = tokens.length - 1; i > 0; i--) if (this.breaks.has(tokens[i])) return tokens.slice(i + 1);
    return tokens;
  }

  /**
   * True when a negation ends within a few words before `start`, with no "but" in between. Given
   * `after` (a phrase's word before a gap), only a negation ending in the gap counts, though it may
   * begin on that word ("sé si" in "¿cómo sé si se me infectó?").
   */
  private negatedAt(tokens: string[], start: number, cues: string[][] = this.negations, after = -1): boolean {
    for (let end = start - 1; end >= Math.max(after + 1, start - NEGATION_WINDOW); end--) {
      if (this.breaks.has(tokens[end])) return false;
      for (const neg of cues) {
        const from = end - neg.length + 1;
        if (from >= Math.max(after, 0) && neg.every((w, i) => tokens[from + i] === w)) return true;
      }
    }
    return false;
  }
}

/** Both languages' phrases of a list, as normalised words. */
function phrases(list: Record<Lang, string[]>): string[][] {
  return LANGS.flatMap((l) => list[l].map((p) => normalizeText(p).split(' ')));
}

/** Whether one of the phrases stands in the sentence; a contraction is not its word ("can t" is not "can"). */
function containsAny(tokens: string[], phrases: string[][]): boolean {
  return phrases.some((h) =>
    tokens.some((_, i) => h.every((w, k) => tokens[i + k] === w) && !(h.length === 1 && tokens[i + 1] === 't')),
  );
}

/**
 * The message's sentences, each with whether it asks (a question is not an account). An ellipsis
 * ("a client ... developed an infection") does not end a sentence.
 */
function sentencesOf(message: string): { sentence: string; question: boolean }[] {
  return [...message.matchAll(/((?:[^.!?;\n…]|\.{2,}|…)+)([.!?;\n]*)/g)].map(([, sentence, end]) => ({
    sentence,
    question: end.includes('?') || sentence.includes('¿'),
  }));
}

function tokenMatches(token: string, p: PatternToken): boolean {
  if (p.prefix) {
    if (token.startsWith(p.text)) return true;
    // A short stem tolerates no typo: "supur*" must not catch "super", nor "llaga*" catch "llamar".
    if (p.text.length < 6) return false;
    // The stem with a letter left out must still go on ("blisers"): "infecta" is not "infectad*".
    const n = p.text.length;
    return [n - 1, n, n + 1].some(
      (k) => token.length >= Math.max(k, n) && likelyTypo(token.slice(0, k), p.text, token.length),
    );
  }
  if (token === p.text) return true;
  return !p.exact && p.text.length >= 5 && likelyTypo(token, p.text);
}

const VOWELS: ReadonlySet<string> = new Set('aeiou');

/** Keys side by side on a QWERTY keyboard: each row sits to the right of the one above. */
const NEIGHBOUR_KEYS: ReadonlySet<string> = pairsBothWays(
  ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'].flatMap((row, r, rows) =>
    [...row].flatMap((key, i) =>
      [row[i + 1], rows[r + 1]?.[i - 1], rows[r + 1]?.[i]].flatMap((k) => (k ? [key + k] : [])),
    ),
  ),
);

/** Letters swapped by ear: b/v, c/s/z, c/k, g/j, i/y and the vowels. */
const BY_EAR: ReadonlySet<string> = pairsBothWays('bv cs cz sz ck gj iy ae ai ao au ei eo eu io iu ou'.split(' '));

function pairsBothWays(pairs: string[]): Set<string> {
  return new Set(pairs.flatMap((p) => [p, p[1] + p[0]]));
}

/**
 * One slip of the fingers or the ear, so "feaver", "fevr", "chils" and "blisers" still count while
 * real words one letter off a sign ("never" for fever, "gives" for hives, "seeing" for seeping) do
 * not: two neighbours swapped; a letter that sounds alike, or in a long word a neighbouring key,
 * typed for another, neither the first nor one of the last two (though a Spanish -o/-a, -os/-as
 * ending may stand for the other); a vowel, an "h", a
 * doubled letter or a plural "s" slipped in or left out; a key next to a neighbour slipped in; or,
 * in a long word, any letter but the first or the last left out.
 */
function likelyTypo(token: string, word: string, fullLength = token.length): boolean {
  if (token.length < 4 || Math.abs(token.length - word.length) > 1 || token === word) return false;
  let i = 0;
  while (i < token.length && i < word.length && token[i] === word[i]) i++;
  if (token.length === word.length) {
    if (token.slice(i + 1) === word.slice(i + 1)) {
      // Spanish agreement: "hinchada" for hinchado, "negros" for negras.
      if (token[i] + word[i] === 'oa' || token[i] + word[i] === 'ao') return /^s?$/.test(word.slice(i + 1));
      // Near the end, or a neighbouring key in a short word, a changed letter makes another word
      // ("quedaran", "tratar" for tragar) rather than a slip.
      const pair = token[i] + word[i];
      const slip = BY_EAR.has(pair) || (word.length >= 7 && NEIGHBOUR_KEYS.has(pair));
      return i > 0 && i < word.length - 2 && slip;
    }
    return token[i] === word[i + 1] && token[i + 1] === word[i] && token.slice(i + 2) === word.slice(i + 2);
  }
  const [long, short] = token.length > word.length ? [token, word] : [word, token];
  if (long.slice(i + 1) !== short.slice(i)) return false;
  const extra = long[i];
  if (extra === 'h' || extra === long[i - 1] || extra === long[i + 1] || (extra === 's' && i === short.length))
    return true;
  if (i === 0) return false;
  if (VOWELS.has(extra)) return true;
  // Left out of what the patient meant to type:
  if (long === word) return fullLength >= 7 && i < long.length - 1;
  return [long[i - 1], long[i + 1]].some((n) => n !== undefined && NEIGHBOUR_KEYS.has(extra + n));
}

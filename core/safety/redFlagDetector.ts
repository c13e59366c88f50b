import { RedFlag, RedFlagsFile } from '../content/schemas';
import { Lang, LANGS } from '../text/language';
import { editDistance, normalizeText } from '../text/normalize';

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
}

interface CompiledPattern {
  flag: RedFlag;
  lang: Lang;
  tokens: PatternToken[];
}

/** Words a phrase may skip between two of its own words ("throat is really swelling"). */
const MAX_GAP = 3;
/** How far before a match a negation may stand ("no fever", "no tengo fiebre"). */
const NEGATION_WINDOW = 3;

/**
 * Finds warning signs in a message, in both languages at once (patients mix them), tolerant of
 * small typos, ignoring negated mentions ("no fever, just a bit red").
 */
export class RedFlagDetector {
  private readonly patterns: CompiledPattern[];
  private readonly negations: string[][];
  private readonly breaks: Set<string>;

  constructor(file: RedFlagsFile) {
    this.patterns = file.flags.flatMap((flag) =>
      LANGS.flatMap((lang) =>
        flag[lang].patterns.map((p) => ({
          flag,
          lang,
          tokens: normalizeText(p.replace(/\*/g, 'STAR'))
            .split(' ')
            .map((t) => (t.endsWith('star') ? { text: t.slice(0, -4), prefix: true } : { text: t, prefix: false })),
        })),
      ),
    );
    this.negations = LANGS.flatMap((l) => file.negations[l].map((n) => normalizeText(n).split(' ')));
    this.breaks = new Set(LANGS.flatMap((l) => file.clauseBreaks[l].map(normalizeText)));
  }

  detect(message: string): RedFlagResult {
    const hits = new Map<string, RedFlagHit>();
    // Sentences are checked one by one so a negation never reaches across a full stop.
    for (const sentence of message.split(/[.!?;\n]+/)) {
      const tokens = normalizeText(sentence).split(' ').filter(Boolean);
      if (tokens.length === 0) continue;
      for (const p of this.patterns) {
        if (hits.has(p.flag.id)) continue;
        if (this.matches(tokens, p.tokens)) hits.set(p.flag.id, { flag: p.flag, lang: p.lang });
      }
    }
    const list = [...hits.values()];
    const level = list.length === 0 ? undefined : list.some((h) => h.flag.level === 'emergency') ? 'emergency' : 'urgent';
    return { hits: list, level };
  }

  private matches(tokens: string[], pattern: PatternToken[]): boolean {
    for (let start = 0; start < tokens.length; start++) {
      if (!tokenMatches(tokens[start], pattern[0])) continue;
      let pos = start;
      let ok = true;
      for (let k = 1; k < pattern.length && ok; k++) {
        ok = false;
        for (let next = pos + 1; next <= pos + 1 + MAX_GAP && next < tokens.length; next++) {
          if (tokenMatches(tokens[next], pattern[k])) {
            pos = next;
            ok = true;
            break;
          }
        }
      }
      if (ok && !this.negatedAt(tokens, start)) return true;
    }
    return false;
  }

  /** True when a negation ends within a few words before `start`, with no "but" in between. */
  private negatedAt(tokens: string[], start: number): boolean {
    for (let end = start - 1; end >= Math.max(0, start - NEGATION_WINDOW); end--) {
      if (this.breaks.has(tokens[end])) return false;
      for (const neg of this.negations) {
        const from = end - neg.length + 1;
        if (from >= 0 && neg.every((w, i) => tokens[from + i] === w)) return true;
      }
    }
    return false;
  }
}

function tokenMatches(token: string, p: PatternToken): boolean {
  if (p.prefix) {
    if (token.startsWith(p.text)) return true;
    // A short stem tolerates no typo: "supur*" must not catch "super", nor "llaga*" catch "llamar".
    return p.text.length >= 6 && token.length >= p.text.length && editDistance(token.slice(0, p.text.length), p.text, 1) <= 1;
  }
  if (token === p.text) return true;
  return p.text.length >= 5 && editDistance(token, p.text, 1) <= 1;
}

import { editDistance, normalizeText, phraseAt, tokenize } from '../text/normalize';
import { isStopword, Lang, stem } from '../text/language';

/** A sparse feature vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  idx: number[];
  val: number[];
}

export interface FeaturizerOptions {
  /** Adds stem bigrams ("how long" vs "how many"). */
  bigrams: boolean;
  /** Adds character n-grams of this length inside each stem (0 = none), for morphology and typos. */
  charNgram: number;
  /** Word groups read as their first word ("pink", "flushed" → "red"; "skin needling" → "microneedling"). */
  synonyms?: readonly (readonly string[])[];
}

/**
 * Words that frame a question without saying what it is about ("However, how effective is it
 * really?", "Q: what does it treat?", "Pero, ¿qué son exactamente?"), and intensifiers and chat
 * fillers ("super dry lol", "me arde un montón"): unknown or not, they do not count towards how much
 * of a message the vocabulary knows.
 */
const FRAMING_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: new Set(
    (
      'q a however actually exactly basically honestly seriously anyway anyways though first firstly ' +
      'truly genuinely really quick question questions wondering wonder curious sure ' +
      'super so very totally literally kinda sorta pretty quite extremely incredibly alot lot lots ' +
      'lol lmao omg tbh pls plz please hi hello hey thanks um umm hmm ok okay yo even'
    ).split(' '),
  ),
  es: new Set(
    (
      'p r entonces realmente exactamente verdaderamente sinceramente honestamente oye vale primero ' +
      'pregunta preguntas duda dudas curiosidad sino embargo verdad ' +
      'monton re super muy bastante demasiado tremendamente porfa hola gracias jaja jajaja bueno pues ' +
      'mira oiga disculpa perdon'
    ).split(' '),
  ),
};

/**
 * Framing words are not features either: "what exactly is micro-needling?" is "what is
 * microneedling?", whatever the out-of-scope examples say "exactly" about. Ordinals stay ("first
 * session").
 */
const NOT_FEATURES: Record<Lang, ReadonlySet<string>> = {
  en: new Set([...FRAMING_WORDS.en].filter((w) => !['first', 'firstly'].includes(w))),
  es: new Set([...FRAMING_WORDS.es].filter((w) => w !== 'primero')),
};

/**
 * Greetings a message may open with ("Hola, buenas tardes, ¿duele?", "Good morning, how many
 * sessions…"): left out before reading it, since "buenas" and "good" are also words of questions
 * ("¿soy buena candidata?", "am I a good candidate?"). Either language: patients mix them.
 */
const OPENING_GREETINGS: readonly string[][] = [
  'hi there',
  'hello there',
  'hey there',
  'good morning',
  'good afternoon',
  'good evening',
  'good day',
  'how are you',
  'hola',
  'hi',
  'hello',
  'hey',
  'buenas tardes',
  'buenas noches',
  'buenos dias',
  'buen dia',
  'buenas',
  'que tal',
  'como estas',
  'como esta',
].map((g) => g.split(' '));

/** The tokens after any greetings the message opens with (a greeting alone stays as it is). */
function withoutGreetings(tokens: string[]): string[] {
  let at = 0;
  for (let found = true; found;) {
    found = false;
    for (const g of OPENING_GREETINGS) {
      if (at + g.length < tokens.length && phraseAt(tokens, at, g)) {
        at += g.length;
        found = true;
        break;
      }
    }
  }
  return at === 0 ? tokens : tokens.slice(at);
}

/**
 * English modal verbs in negative contractions ("shouldn't", typed "shouldnt"), read as "should
 * not" as phrasings spell them ("who should not have it"). "can't" and "don't" stay as they are: in
 * everyday chat ("I can't wait", "don't have any idea") a lone "not" would pull towards the
 * who-should-not entries.
 */
const NEGATED_VERBS: ReadonlyMap<string, string> = new Map([
  ['shouldn', 'should'],
  ['couldn', 'could'],
  ['wouldn', 'would'],
  ['mustn', 'must'],
]);

/** A negative modal contraction at `i` ("shouldn t", as normalised): the verb and how many tokens it spans. */
function negation(tokens: readonly string[], i: number): { verb: string; tokens: number } | undefined {
  const t = tokens[i];
  const verb = NEGATED_VERBS.get(t);
  return verb !== undefined && tokens[i + 1] === 't' ? { verb, tokens: 2 } : undefined;
}

/** Character n-grams help with morphology but must not outvote whole words. */
const CHAR_WEIGHT = 0.35;

export const DEFAULT_FEATURIZER_OPTIONS: FeaturizerOptions = { bigrams: true, charNgram: 4 };

/**
 * Turns text into TF-IDF weighted, L2-normalised features over a vocabulary learnt from
 * training phrasings. Unknown words are first corrected to a known word within a small edit
 * distance, and split compounds ("micro needling") are joined when the joined word is known.
 */
export class Featurizer {
  private readonly wordFreq = new Map<string, number>();
  private readonly wordsByLength = new Map<number, string[]>();
  private readonly featureIndex = new Map<string, number>();
  private idf: number[] = [];
  private maxIdf = 1;
  private isCharGram = new Uint8Array(0);
  private isWord = new Uint8Array(0);
  private readonly stemFeatureCache = new Map<string, number[]>();
  private readonly correctionCache = new Map<string, string | null>();
  /** Spanish: the commonest known word of each sound (see `spanishSound`), for words spelt by ear. */
  private readonly soundsLike = new Map<string, string>();
  private readonly canonical = new Map<string, string>();
  /** Synonyms of several words by their first word, longest first, read as their group's first word. */
  private readonly phrases = new Map<string, { tokens: string[]; canonical: string }[]>();

  constructor(
    readonly lang: Lang,
    private readonly options: FeaturizerOptions = DEFAULT_FEATURIZER_OPTIONS,
  ) {
    for (const group of options.synonyms ?? []) {
      const words = group.map(normalizeText);
      for (const w of words) {
        if (!w.includes(' ')) {
          this.canonical.set(w, words[0]);
          continue;
        }
        const tokens = w.split(' ');
        const list = this.phrases.get(tokens[0]) ?? [];
        list.push({ tokens, canonical: words[0] });
        list.sort((a, b) => b.tokens.length - a.tokens.length);
        this.phrases.set(tokens[0], list);
      }
    }
  }

  get featureCount(): number {
    return this.featureIndex.size;
  }

  /** Learns the vocabulary and document frequencies; returns the training vectors. */
  fit(texts: readonly string[]): SparseVector[] {
    for (const text of texts) {
      for (const t of tokenize(text)) this.wordFreq.set(t, (this.wordFreq.get(t) ?? 0) + 1);
    }
    for (const w of this.canonical.keys()) if (!this.wordFreq.has(w)) this.wordFreq.set(w, 1);
    if (this.lang === 'es') {
      for (const [w, f] of this.wordFreq) {
        const key = spanishSound(w);
        const known = this.soundsLike.get(key);
        if (known === undefined || f > (this.wordFreq.get(known) ?? 0)) this.soundsLike.set(key, w);
      }
    }
    for (const w of this.wordFreq.keys()) {
      const list = this.wordsByLength.get(w.length) ?? [];
      list.push(w);
      this.wordsByLength.set(w.length, list);
    }
    const docFreq: number[] = [];
    const keyed = texts.map((text) => {
      const keys = this.featureKeys(text);
      for (const k of keys) {
        let i = this.featureIndex.get(k);
        if (i === undefined) {
          i = this.featureIndex.size;
          this.featureIndex.set(k, i);
          docFreq.push(0);
        }
        docFreq[i]++;
      }
      return keys;
    });
    const n = texts.length;
    this.idf = docFreq.map((df) => Math.log((n + 1) / (df + 0.5)));
    this.maxIdf = Math.log((n + 1) / 0.5);
    this.isCharGram = new Uint8Array(this.featureIndex.size);
    this.isWord = new Uint8Array(this.featureIndex.size);
    for (const [k, i] of this.featureIndex) {
      if (k.startsWith('c:')) this.isCharGram[i] = 1;
      else if (k.startsWith('w:')) this.isWord[i] = 1;
    }
    return keyed.map((keys) => this.vectorFromKeys(keys));
  }

  /** Whether a feature id is a whole word (not a word pair or a character n-gram). */
  isWordFeature(id: number): boolean {
    return this.isWord[id] === 1;
  }

  /**
   * Features of a new text (words and features never seen in training are dropped) plus its coverage: the share of the
   * message's meaning the vocabulary knows, content words weighted by how specific they are and unknown words counting
   * as the most specific ("how many syringes of filler" is mostly unknown).
   */
  analyze(text: string): {
    vector: SparseVector;
    coverage: number;
    functionWordsOnly: boolean;
    knownWords: number;
    /** Word feature ids of the message's known content words. */
    contentWords: number[];
  } {
    const tokens = this.readTokens(text);
    const stems = tokens.map((t) => stem(this.lang, t));
    const ids = new Set<number>();
    let known = 0;
    let total = 0;
    let knownWords = 0;
    const contentWords: number[] = [];
    tokens.forEach((t, i) => {
      if (isStopword(this.lang, t)) return;
      const word = this.featureIndex.get(`w:${stems[i]}`);
      const features = this.stemFeatures(stems[i]);
      // An unknown likeness ("peeling like a snake", "como un camarón") describes; it is not the subject.
      if (word === undefined && isLikeness(tokens, i)) return;
      if (!FRAMING_WORDS[this.lang].has(t)) {
        const weight = word === undefined ? this.maxIdf : this.idf[word];
        total += weight;
        if (word !== undefined) {
          contentWords.push(word);
          known += weight;
          knownWords++;
        }
      }
      for (const id of features) ids.add(id);
    });
    if (this.options.bigrams) {
      for (let i = 0; i + 1 < stems.length; i++) {
        const id = this.featureIndex.get(`b:${stems[i]}_${stems[i + 1]}`);
        if (id !== undefined) ids.add(id);
      }
    }
    const idx = [...ids];
    const val = idx.map((id) => (this.isCharGram[id] ? CHAR_WEIGHT : 1) * this.idf[id]);
    const norm = Math.sqrt(val.reduce((sum, v) => sum + v * v, 0)) || 1;
    // A question of function words alone ("¿Qué es?") is known when its word pairs are.
    const functionWordsOnly = total === 0 && idx.length > 0;
    const coverage = functionWordsOnly ? 1 : total === 0 ? 0 : known / total;
    return { vector: { idx, val: val.map((v) => v / norm) }, coverage, functionWordsOnly, knownWords, contentWords };
  }

  /** Known unigram and character n-gram feature ids of one stem, cached: patients reuse words. */
  private stemFeatures(s: string): number[] {
    let ids = this.stemFeatureCache.get(s);
    if (!ids) {
      ids = [`w:${s}`, ...this.charGrams(s)].flatMap((k) => this.featureIndex.get(k) ?? []);
      if (this.stemFeatureCache.size >= 50000) this.stemFeatureCache.clear();
      this.stemFeatureCache.set(s, ids);
    }
    return ids;
  }

  private charGrams(s: string): string[] {
    const n = this.options.charNgram;
    if (n <= 0 || s.length <= n) return [];
    const padded = `<${s}>`;
    const grams: string[] = [];
    for (let i = 0; i + n <= padded.length; i++) grams.push(`c:${padded.slice(i, i + n)}`);
    return grams;
  }

  /** Normalised tokens with compounds joined and misspellings corrected against the vocabulary. */
  correctTokens(tokens: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const negated = this.lang === 'en' ? negation(tokens, i) : undefined;
      if (negated) {
        out.push(negated.verb, 'not');
        i += negated.tokens - 1;
        continue;
      }
      const phrase = this.phraseAt(tokens, i);
      if (phrase) {
        out.push(phrase.canonical);
        i += phrase.tokens.length - 1;
        continue;
      }
      const t = tokens[i];
      const next = tokens[i + 1];
      if (next !== undefined && this.wordFreq.has(t + next) && !(this.wordFreq.has(t) && this.wordFreq.has(next))) {
        out.push(this.synonym(t + next));
        i++;
        continue;
      }
      out.push(this.synonym(this.correct(t)));
    }
    return out;
  }

  private phraseAt(tokens: readonly string[], i: number): { tokens: string[]; canonical: string } | undefined {
    return this.phrases.get(tokens[i])?.find((p) => p.tokens.every((w, k) => tokens[i + k] === w));
  }

  private synonym(token: string): string {
    return this.canonical.get(token) ?? token;
  }

  private correct(token: string): string {
    // Typos rarely change the first letter; in short words they must keep the first two
    // ("hurrt" is "hurt", but "spell" is not "swell"). Words under five letters are left alone.
    if (this.wordFreq.has(token) || /\d/.test(token)) return token;
    // Chat shorthand ("q", "xq") and Spanish spelt by ear ("aser", "beo", "sicatrices", "maquiyar").
    const heard = CHAT_SHORTHAND[this.lang].get(token) ?? this.soundsLike.get(spanishSound(token));
    if (heard !== undefined) return heard;
    if (token.length < 5) return token;
    const head = token.length < 6 ? 2 : 1;
    const cached = this.correctionCache.get(token);
    if (cached !== undefined) return cached ?? token;
    const max = token.length >= 9 ? 2 : 1;
    let best: string | null = null;
    let bestDist = max + 1;
    let bestFreq = 0;
    for (let len = token.length - max; len <= token.length + max; len++) {
      for (const w of this.wordsByLength.get(len) ?? []) {
        if (w.length < 4 || w.slice(0, head) !== token.slice(0, head)) continue;
        const d = editDistance(token, w, max);
        const f = this.wordFreq.get(w) ?? 0;
        if (d < bestDist || (d === bestDist && d <= max && f > bestFreq)) {
          best = w;
          bestDist = d;
          bestFreq = f;
        }
      }
    }
    if (this.correctionCache.size > 50000) this.correctionCache.clear();
    this.correctionCache.set(token, best);
    return best ?? token;
  }

  /** A text's words as features see them: greetings it opens with and framing words left out, slips corrected. */
  private readTokens(text: string): string[] {
    return this.correctTokens(withoutGreetings(tokenize(text))).filter((t) => !NOT_FEATURES[this.lang].has(t));
  }

  private featureKeys(text: string): Set<string> {
    const tokens = this.readTokens(text);
    const stems = tokens.filter((t) => !isStopword(this.lang, t)).map((t) => stem(this.lang, t));
    const keys = new Set<string>();
    for (const s of stems) {
      keys.add(`w:${s}`);
      for (const g of this.charGrams(s)) keys.add(g);
    }
    if (this.options.bigrams) {
      // Bigrams over all tokens keep question words such as "how long" / "cuantas sesiones".
      const all = tokens.map((t) => stem(this.lang, t));
      for (let i = 0; i + 1 < all.length; i++) keys.add(`b:${all[i]}_${all[i + 1]}`);
    }
    return keys;
  }

  private vectorFromKeys(keys: Set<string>): SparseVector {
    const idx: number[] = [];
    const val: number[] = [];
    let norm = 0;
    for (const k of keys) {
      const i = this.featureIndex.get(k);
      if (i === undefined) continue;
      const weight = (this.isCharGram[i] ? CHAR_WEIGHT : 1) * this.idf[i];
      idx.push(i);
      val.push(weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    return { idx, val: val.map((v) => v / norm) };
  }
}

/** Words that open a likeness: "like (a) …" (the article is a framing word), "como un …", "como una …". */
const LIKENESS_OPENERS: ReadonlySet<string> = new Set(['like', 'like an', 'como un', 'como una']);

/** Whether the word at `i` is what a likeness compares to ("snake" in "peeling like a snake"). */
function isLikeness(tokens: readonly string[], i: number): boolean {
  return (
    (i >= 1 && LIKENESS_OPENERS.has(tokens[i - 1])) ||
    (i >= 2 && LIKENESS_OPENERS.has(`${tokens[i - 2]} ${tokens[i - 1]}`))
  );
}

/** Chat shorthand for a whole word. */
const CHAT_SHORTHAND: Record<Lang, ReadonlyMap<string, string>> = {
  en: new Map([
    ['u', 'you'],
    ['ur', 'your'],
    ['b4', 'before'],
  ]),
  es: new Map([
    ['q', 'que'],
    ['k', 'que'],
    ['xq', 'porque'],
    ['pq', 'porque'],
    ['porq', 'porque'],
    ['tb', 'tambien'],
    ['tmb', 'tambien'],
    ['pa', 'para'],
    ['pal', 'para'],
  ]),
};

/**
 * A Spanish word as it sounds (a key, not a spelling), so a word spelt by ear finds the word meant:
 * a silent "h"; "b" and "v"; "ll" and "y"; "c" before e or i, "z" and "s"; "qu", "k" and hard "c";
 * soft "g" and "j" are each one sound ("aser" is "hacer", "beo" is "veo", "maquiyar" is
 * "maquillar"); doubled letters count once.
 */
export function spanishSound(word: string): string {
  return word
    .replace(/ch/g, '#')
    .replace(/h/g, '')
    .replace(/qu(?=[ei])/g, 'k')
    .replace(/g(?=[ei])/g, 'j')
    .replace(/gu(?=[ei])/g, 'g')
    .replace(/c(?=[ei])/g, 's')
    .replace(/c/g, 'k')
    .replace(/z/g, 's')
    .replace(/v/g, 'b')
    .replace(/ll/g, 'y')
    .replace(/(.)\1+/g, '$1');
}

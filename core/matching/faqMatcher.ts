import { ContentSet } from '../content/contentLoader';
import { guessLanguage, Lang, LANGS } from '../text/language';
import { tokenize } from '../text/normalize';
import {
  DEFAULT_MATCHER_OPTIONS,
  LabeledText,
  MatcherOptions,
  MatchScores,
  OUT_OF_SCOPE,
  QuestionMatcher,
} from './questionMatcher';
import { Steps } from './steps';

/**
 * Thresholds of the answer policy, chosen with `npm run tune` (dev set and cross-validation, never the held-out set).
 */
export interface MatchPolicy {
  /** Probability at or above which the top entry is answered. */
  accept: number;
  /** Nearest-phrasing similarity the top entry needs, so a lone shared word never answers. */
  minSimilarity: number;
  /** Probability each option of a "did you mean" needs. */
  clarify: number;
  /** Share of the message's content words the matcher must know; off-topic messages are mostly unknown words. */
  minCoverage: number;
  /**
   * Below `accept`, the top entry is still answered when it is this many times
   * as likely as the next ("did you mean" with one plain answer helps nobody).
   */
  dominance: number;
}

export const DEFAULT_POLICY: MatchPolicy = {
  accept: 0.4,
  minSimilarity: 0.1,
  clarify: 0.12,
  minCoverage: 0.5,
  dominance: 2.5,
};

/** A message of function words alone ("¿Qué es?") is answered only this close to one phrasing ("is it?" is not). */
const FUNCTION_WORDS_MIN_SIMILARITY = 0.5;

/**
 * A dominant top entry must still be this likely and this close to one of its phrasings. A long
 * statement spreads its probability ("most people get mild redness that settles in days").
 */
const DOMINANT_MIN = { probability: 0.2, similarity: 0.1 };

/**
 * Below `accept`, a top entry very close to one of its own phrasings, with no other entry anywhere
 * near it, is answered even when the out-of-scope class keeps some probability ("Does it go by any
 * other names?"): a "did you mean" could offer only that one entry.
 */
const CLOSE_AND_ALONE = { probability: 0.3, similarity: 0.5, overSecond: 4, overOutOfScope: 1.5 };

/**
 * A long question with several words the vocabulary does not know ("¿Es necesario que sea un
 * dermatólogo quien realice los tratamientos estéticos?") is still answered when the words it does
 * know are enough and point plainly at one entry: this likely, this close to one of its phrasings,
 * this many known content words and at least this share of the message known. A short question with
 * an unknown word ("is <some other treatment> safe?") is not: the unknown word may be what it asks about.
 */
const PLAIN_DESPITE_UNKNOWN = { probability: 0.85, similarity: 0.3, coverage: 0.35, knownWords: 3 };

/** Labels of guided conversations start with this; every other label is an FAQ entry id. */
export const FLOW_LABEL_PREFIX = 'flow:';

export type MatchDecision =
  | { kind: 'answer'; lang: Lang; id: string; confidence: number; scores: MatchScores }
  | {
      kind: 'clarify';
      lang: Lang;
      ids: string[];
      /** Options whose own subject the message names ("¿es normal la hinchazón y el enrojecimiento?"). */
      named: string[];
      confidence: number;
      scores: MatchScores;
    }
  | { kind: 'none'; lang: Lang; confidence: number; scores?: MatchScores };

type MatcherContent = Pick<ContentSet, 'faq' | 'scope' | 'synonyms'> & Partial<Pick<ContentSet, 'flows'>>;

/** Matches patient questions in English and Spanish to FAQ entries, or to nothing. */
export class FaqMatcher {
  /** Builds and trains the matcher of each language; training pauses between slices (see `Steps`). */
  static *training(
    content: MatcherContent,
    policy: MatchPolicy = DEFAULT_POLICY,
    options: MatcherOptions = DEFAULT_MATCHER_OPTIONS,
  ): Steps<FaqMatcher> {
    const en = yield* QuestionMatcher.training(
      'en',
      trainingExamples(content, 'en'),
      languageOptions(content, 'en', options),
    );
    const es = yield* QuestionMatcher.training(
      'es',
      trainingExamples(content, 'es'),
      languageOptions(content, 'es', options),
    );
    return new FaqMatcher(content, policy, options, { en, es });
  }

  private readonly matchers: Record<Lang, QuestionMatcher>;

  constructor(
    content: MatcherContent,
    private readonly policy: MatchPolicy = DEFAULT_POLICY,
    options: MatcherOptions = DEFAULT_MATCHER_OPTIONS,
    /** Matchers already trained from this content (by `training`). */
    trained?: Record<Lang, QuestionMatcher>,
  ) {
    const build = (lang: Lang): QuestionMatcher =>
      new QuestionMatcher(lang, trainingExamples(content, lang), languageOptions(content, lang, options));
    this.matchers = trained ?? { en: build('en'), es: build('es') };
  }

  /** Scores without deciding, for tools (`npm run ask`) and evaluation. */
  score(text: string, lang: Lang, top = 3): MatchScores {
    return this.matchers[lang].score(text, top);
  }

  /** The entries whose own words the text names, in the order it names them. */
  namedInOrder(text: string, lang: Lang): string[] {
    return this.matchers[lang].namedInOrder(text);
  }

  /**
   * Decides what to answer. The message's own language wins when it is clear; otherwise the
   * user's language is tried first and the other language only if it finds a confident answer.
   */
  match(text: string, userLang: Lang): MatchDecision {
    const guessed = guessLanguage(text, tokenize(text));
    if (guessed) return this.decide(this.matchers[guessed].score(text, 3));
    const first = this.decide(this.matchers[userLang].score(text, 3));
    if (first.kind === 'answer') return first;
    const other = LANGS.find((l) => l !== userLang) ?? userLang;
    const otherScores = this.matchers[other].score(text, 3);
    const second = this.decide(otherScores);
    // The other language wins only if it knows more of the message: short English questions
    // must not be answered from Spanish vocabulary that happens to overlap. How sure the first
    // language was does not count: it refused ("usan anestesia" in an English chat knows one word).
    const firstCoverage = first.scores?.coverage ?? 0;
    return second.kind === 'answer' && otherScores.coverage > firstCoverage ? second : first;
  }

  decide(scores: MatchScores): MatchDecision {
    return decideMatch(scores, this.policy);
  }
}

/** Applies the answer policy to scores: answer, ask "did you mean", or refuse. */
export function decideMatch(scores: MatchScores, policy: MatchPolicy): MatchDecision {
  const { lang, ranked } = scores;
  const top = ranked[0];
  const plain =
    top !== undefined &&
    top.probability >= PLAIN_DESPITE_UNKNOWN.probability &&
    top.similarity >= PLAIN_DESPITE_UNKNOWN.similarity &&
    scores.coverage >= PLAIN_DESPITE_UNKNOWN.coverage &&
    (scores.knownWords ?? 0) >= PLAIN_DESPITE_UNKNOWN.knownWords;
  if (
    !top ||
    scores.outOfScope >= top.probability ||
    (scores.coverage < policy.minCoverage && !plain) ||
    (scores.functionWordsOnly && top.similarity < FUNCTION_WORDS_MIN_SIMILARITY)
  ) {
    return { kind: 'none', lang, confidence: top?.probability ?? 0, scores };
  }
  if (top.probability >= policy.accept && top.similarity >= policy.minSimilarity) {
    return { kind: 'answer', lang, id: top.id, confidence: top.probability, scores };
  }
  const second = ranked[1]?.probability ?? 0;
  if (
    top.probability >= DOMINANT_MIN.probability &&
    top.similarity >= DOMINANT_MIN.similarity &&
    top.probability >= policy.dominance * second &&
    top.probability > scores.outOfScope * policy.dominance
  ) {
    return { kind: 'answer', lang, id: top.id, confidence: top.probability, scores };
  }
  if (
    top.probability >= CLOSE_AND_ALONE.probability &&
    top.similarity >= CLOSE_AND_ALONE.similarity &&
    top.probability >= CLOSE_AND_ALONE.overSecond * second &&
    top.probability >= CLOSE_AND_ALONE.overOutOfScope * scores.outOfScope
  ) {
    return { kind: 'answer', lang, id: top.id, confidence: top.probability, scores };
  }
  const options = ranked.filter((r) => r.probability >= policy.clarify && r.similarity >= policy.minSimilarity);
  const combined = options.reduce((s, r) => s + r.probability, 0);
  if (options.length >= 2 && combined >= policy.accept && combined > scores.outOfScope) {
    const ids = options.map((o) => o.id);
    const named = options.filter((o) => o.named).map((o) => o.id);
    return { kind: 'clarify', lang, ids, named, confidence: combined, scores };
  }
  return { kind: 'none', lang, confidence: top.probability, scores };
}

function trainingExamples(content: MatcherContent, lang: Lang): LabeledText[] {
  // Titles and answer sentences carry the entry's own vocabulary, which phrasings alone miss.
  const examples: LabeledText[] = content.faq.flatMap((e) =>
    [...e[lang].questions, e[lang].title, ...answerSentences(e[lang].answer)].map((text) => ({ text, label: e.id })),
  );
  // Guided conversations compete with the entries as labels of their own ("flow:screening").
  for (const flow of content.flows?.flows ?? []) {
    for (const text of [...flow[lang].questions, flow[lang].title])
      examples.push({ text, label: `${FLOW_LABEL_PREFIX}${flow.id}` });
  }
  for (const group of content.scope.outOfScope) {
    for (const text of group[lang]) examples.push({ text, label: OUT_OF_SCOPE });
  }
  return examples;
}

function languageOptions(content: MatcherContent, lang: Lang, options: MatcherOptions): MatcherOptions {
  return { ...options, featurizer: { ...options.featurizer, synonyms: content.synonyms[lang] } };
}

function answerSentences(answer: string): string[] {
  return answer
    .replace(/\{\{\s*\w+\s*\}\}/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.trim().length > 0);
}

import { Lang } from '../text/language';
import { DEFAULT_FEATURIZER_OPTIONS, Featurizer, FeaturizerOptions, SparseVector } from './featurizer';
import { DEFAULT_TRAINING, SoftmaxClassifier, TrainingOptions } from './softmaxClassifier';
import { finish, Steps } from './steps';

/** Label of the taught "not something we answer" class. */
export const OUT_OF_SCOPE = '__out_of_scope__';

const MIN_PROBABILITY_FOR_SIMILARITY = 0.05;

export interface LabeledText {
  text: string;
  label: string;
}

export interface ScoredLabel {
  id: string;
  /** Classifier probability, 0–1. */
  probability: number;
  /** Highest cosine similarity between the message and one of this label's phrasings, 0–1. */
  similarity: number;
  /** The message names this label's own subject: a word that mostly this label's examples use. */
  named?: boolean;
}

export interface MatchScores {
  lang: Lang;
  /** Labels ranked by probability, the out-of-scope class excluded. */
  ranked: ScoredLabel[];
  /** Probability the classifier gives to the out-of-scope class (0 when none was taught). */
  outOfScope: number;
  /** Share of the message's content words the matcher knows. */
  coverage: number;
  /** How many of the message's content words the matcher knows (framing words aside). */
  knownWords?: number;
  /** The message has no content words ("¿Qué es?"), only function words the matcher knows in pairs. */
  functionWordsOnly?: boolean;
}

export interface MatcherOptions {
  featurizer: FeaturizerOptions;
  training: TrainingOptions;
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  featurizer: DEFAULT_FEATURIZER_OPTIONS,
  training: DEFAULT_TRAINING,
};

/**
 * A question classifier for one language: TF-IDF features of stems, bigrams and character
 * n-grams, a softmax classifier, and nearest-phrasing similarity as lexical evidence.
 */
export class QuestionMatcher {
  private readonly featurizer: Featurizer;
  private readonly classifier: SoftmaxClassifier;
  private readonly labels: string[];
  private readonly vectorsByLabel: PackedVector[][];
  /** Words that mostly one label's examples use ("hinchazón" for swelling), by word feature id. */
  private readonly ownerOf: Map<number, number>;
  private readonly outOfScopeIndex: number;
  /** Reused dense copy of the message vector for similarity (cleared after each use). */
  private readonly dense: Float64Array;

  /** Builds and trains a matcher; training pauses between slices (see `Steps`). */
  static *training(
    lang: Lang,
    examples: readonly LabeledText[],
    options: MatcherOptions = DEFAULT_MATCHER_OPTIONS,
  ): Steps<QuestionMatcher> {
    const model = yield* trainModel(lang, examples, options);
    return new QuestionMatcher(lang, examples, options, model);
  }

  constructor(
    readonly lang: Lang,
    examples: readonly LabeledText[],
    options: MatcherOptions = DEFAULT_MATCHER_OPTIONS,
    /** The model already trained from these examples (by `training`). */
    trained?: TrainedModel,
  ) {
    const { featurizer, classifier, labels, vectors, ys } = trained ?? finish(trainModel(lang, examples, options));
    this.featurizer = featurizer;
    this.classifier = classifier;
    this.labels = labels;
    this.outOfScopeIndex = labels.indexOf(OUT_OF_SCOPE);
    this.vectorsByLabel = labels.map(() => []);
    vectors.forEach((v, i) =>
      this.vectorsByLabel[ys[i]].push({ idx: Int32Array.from(v.idx), val: Float64Array.from(v.val) }),
    );
    this.ownerOf = wordOwners(featurizer, vectors, ys, labels.length, this.outOfScopeIndex);
    this.dense = new Float64Array(featurizer.featureCount);
  }

  /** The labels whose own words the text names ("hinchazón" is swelling's), in the order it first names them. */
  namedInOrder(text: string): string[] {
    const named: string[] = [];
    for (const word of this.featurizer.analyze(text).contentWords) {
      const owner = this.ownerOf.get(word);
      if (owner !== undefined && !named.includes(this.labels[owner])) named.push(this.labels[owner]);
    }
    return named;
  }

  /** Scores a message against every label; `top` limits how many ranked labels come back. */
  score(text: string, top = 3): MatchScores {
    const { vector: x, coverage, functionWordsOnly, knownWords, contentWords } = this.featurizer.analyze(text);
    if (x.idx.length === 0) return { lang: this.lang, ranked: [], outOfScope: 1, coverage, knownWords };
    const probs = this.classifier.predict(x);
    let outOfScope = 0;
    // The best `top` labels by one pass (insertion into a short list), instead of sorting them all.
    const order: number[] = [];
    for (let i = 0; i < probs.length; i++) {
      if (i === this.outOfScopeIndex) {
        outOfScope = probs[i];
        continue;
      }
      if (order.length === top && probs[i] <= probs[order[top - 1]]) continue;
      let at = order.length < top ? order.length : top - 1;
      while (at > 0 && probs[order[at - 1]] < probs[i]) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = i;
    }
    for (let k = 0; k < x.idx.length; k++) this.dense[x.idx[k]] = x.val[k];
    // Similarity only matters for labels that could be answered or offered.
    const ranked = order.map((i) => ({
      id: this.labels[i],
      probability: probs[i],
      similarity: probs[i] >= MIN_PROBABILITY_FOR_SIMILARITY ? maxCosine(this.dense, this.vectorsByLabel[i]) : 0,
      ...(contentWords.some((w) => this.ownerOf.get(w) === i) ? { named: true } : {}),
    }));
    for (const f of x.idx) this.dense[f] = 0;
    return {
      lang: this.lang,
      ranked,
      outOfScope,
      coverage,
      knownWords,
      ...(functionWordsOnly ? { functionWordsOnly } : {}),
    };
  }
}

/** What training makes of the examples: their features, their labels, and the classifier. */
export interface TrainedModel {
  featurizer: Featurizer;
  classifier: SoftmaxClassifier;
  labels: string[];
  vectors: SparseVector[];
  /** Label index of each example. */
  ys: number[];
}

function* trainModel(lang: Lang, examples: readonly LabeledText[], options: MatcherOptions): Steps<TrainedModel> {
  if (examples.length === 0) throw new Error(`QuestionMatcher(${lang}): no training examples`);
  const featurizer = new Featurizer(lang, options.featurizer);
  const vectors = featurizer.fit(examples.map((e) => e.text));
  const labels = [...new Set(examples.map((e) => e.label))];
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const ys = examples.map((e) => labelIndex.get(e.label) ?? 0);
  const classifier = new SoftmaxClassifier(labels.length, featurizer.featureCount);
  yield* classifier.training(
    vectors,
    ys,
    options.training,
    examples.map((e) => `${e.label}|${e.text}`),
  );
  return { featurizer, classifier, labels, vectors, ys };
}

/**
 * A word is a label's own when at least half the examples using it, and at least three, are that
 * label's ("hinchazón" is the swelling entry's; "piel" is nobody's). The out-of-scope class owns none.
 */
const OWN_WORD = { share: 0.5, examples: 3 };

function wordOwners(
  featurizer: Featurizer,
  vectors: readonly SparseVector[],
  ys: readonly number[],
  labelCount: number,
  outOfScopeIndex: number,
): Map<number, number> {
  const counts = new Map<number, Int32Array>();
  vectors.forEach((v, i) => {
    for (const id of v.idx) {
      if (!featurizer.isWordFeature(id)) continue;
      let c = counts.get(id);
      if (!c) counts.set(id, (c = new Int32Array(labelCount)));
      c[ys[i]]++;
    }
  });
  const owners = new Map<number, number>();
  for (const [id, c] of counts) {
    let best = 0;
    let total = 0;
    for (let l = 0; l < labelCount; l++) {
      total += c[l];
      if (c[l] > c[best]) best = l;
    }
    if (best !== outOfScopeIndex && c[best] >= OWN_WORD.examples && c[best] >= OWN_WORD.share * total)
      owners.set(id, best);
  }
  return owners;
}

interface PackedVector {
  idx: Int32Array;
  val: Float64Array;
}

function maxCosine(q: Float64Array, ys: readonly PackedVector[]): number {
  let best = 0;
  for (const y of ys) {
    let dot = 0;
    for (let k = 0; k < y.idx.length; k++) dot += q[y.idx[k]] * y.val[k];
    if (dot > best) best = dot;
  }
  return best;
}

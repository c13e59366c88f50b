import { SparseVector } from './featurizer';
import { Steps } from './steps';

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 40, learningRate: 4, l2: 1e-5, seed: 2 };

/** Examples trained between two pauses of `training` (a few milliseconds of work). */
const EXAMPLES_PER_STEP = 64;

/**
 * Multinomial logistic regression over sparse features, trained by SGD with a fixed seed.
 * Weights are stored feature-major, so scoring a message reads one contiguous row per word.
 */
export class SoftmaxClassifier {
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(
    readonly classCount: number,
    readonly featureCount: number,
  ) {
    this.weights = new Float64Array(classCount * featureCount);
    this.bias = new Float64Array(classCount);
  }

  /**
   * Trains by SGD, pausing after every few examples (run it with `finish` or `finishInSlices`).
   * `keys` (each example's text) order each epoch by a hash of the text; without them, by a seeded shuffle.
   */
  *training(
    xs: readonly SparseVector[],
    ys: readonly number[],
    options: TrainingOptions = DEFAULT_TRAINING,
    keys?: readonly string[],
  ): Steps<void> {
    const order = xs.map((_, i) => i);
    const rank = new Uint32Array(xs.length);
    let rand = options.seed >>> 0;
    const next = (): number => {
      rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0;
      return rand / 4294967296;
    };
    const classes = this.classCount;
    const probs = new Float64Array(classes);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      if (keys) {
        // Each example's place in an epoch comes from its own text, so adding or removing one
        // phrasing leaves every other example's order, and so the other answers, as they were.
        for (let i = 0; i < keys.length; i++) rank[i] = fnv1a(`${options.seed}:${epoch}:${keys[i]}`);
        order.sort((a, b) => rank[a] - rank[b] || a - b);
      } else {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(next() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      const lr = options.learningRate / (1 + epoch * 0.1);
      for (let at = 0; at < order.length; at++) {
        if (at % EXAMPLES_PER_STEP === EXAMPLES_PER_STEP - 1) yield;
        const x = xs[order[at]];
        const y = ys[order[at]];
        this.scoresInto(x, probs);
        softmaxInPlace(probs);
        // probs becomes the gradient of the loss by each class score; a class whose gradient is
        // negligible is left alone (0 marks it, as no update is made with it).
        for (let c = 0; c < classes; c++) {
          const g = probs[c] - (c === y ? 1 : 0);
          probs[c] = Math.abs(g) < 1e-6 ? 0 : g;
          this.bias[c] -= lr * probs[c] * 0.1;
        }
        // Feature-major: one contiguous row of weights per feature of the example.
        for (let k = 0; k < x.idx.length; k++) {
          const row = x.idx[k] * classes;
          const v = x.val[k];
          for (let c = 0; c < classes; c++) {
            const g = probs[c];
            if (g === 0) continue;
            const w = row + c;
            this.weights[w] -= lr * (g * v + options.l2 * this.weights[w]);
          }
        }
      }
    }
  }

  /** Class probabilities for one vector. */
  predict(x: SparseVector): Float64Array {
    const out = new Float64Array(this.classCount);
    this.scoresInto(x, out);
    softmaxInPlace(out);
    return out;
  }

  private scoresInto(x: SparseVector, out: Float64Array): void {
    const classes = this.classCount;
    out.set(this.bias);
    for (let k = 0; k < x.idx.length; k++) {
      const row = x.idx[k] * classes;
      const v = x.val[k];
      for (let c = 0; c < classes; c++) out[c] += this.weights[row + c] * v;
    }
  }
}

function softmaxInPlace(v: Float64Array): void {
  let max = -Infinity;
  for (const s of v) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.exp(v[i] - max);
    sum += v[i];
  }
  for (let i = 0; i < v.length; i++) v[i] /= sum;
}

/** FNV-1a, 32 bits: a stable number for a text. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

import { SparseVector } from './featurizer';

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 40, learningRate: 4, l2: 1e-5, seed: 7 };

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

  train(xs: readonly SparseVector[], ys: readonly number[], options: TrainingOptions = DEFAULT_TRAINING): void {
    const order = xs.map((_, i) => i);
    let rand = options.seed >>> 0;
    const next = (): number => {
      rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0;
      return rand / 4294967296;
    };
    const probs = new Float64Array(this.classCount);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const lr = options.learningRate / (1 + epoch * 0.1);
      for (const n of order) {
        const x = xs[n];
        this.scoresInto(x, probs);
        softmaxInPlace(probs);
        for (let c = 0; c < this.classCount; c++) {
          const g = probs[c] - (c === ys[n] ? 1 : 0);
          if (Math.abs(g) < 1e-6) continue;
          for (let k = 0; k < x.idx.length; k++) {
            const w = x.idx[k] * this.classCount + c;
            this.weights[w] -= lr * (g * x.val[k] + options.l2 * this.weights[w]);
          }
          this.bias[c] -= lr * g * 0.1;
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

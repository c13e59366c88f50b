import { FaqEntry, RedFlagsFile } from '../content/schemas';
import { Featurizer } from '../matching/featurizer';
import { SoftmaxClassifier, TrainingOptions } from '../matching/softmaxClassifier';
import { Steps } from '../matching/steps';
import { Lang, LANGS } from '../text/language';

/**
 * How much a message must read like the warning examples to fire. Chosen by 5-fold cross-validation
 * by site on the real-world development set, before the held-out set was scored (README).
 */
export const WARNING_LIKENESS_MIN = 0.5;

const TRAINING: TrainingOptions = { epochs: 30, learningRate: 2, l2: 1e-4, seed: 3 };

interface LanguageModel {
  featurizer: Featurizer;
  classifier: SoftmaxClassifier;
}

/**
 * Tells how much a message reads like the warning-sign accounts of `redflags.yaml`'s `examples`,
 * against its calm ones and every FAQ phrasing: a logistic regression over the matcher's own
 * features, one per language. It catches harm told in words no phrase list foresaw.
 */
export class AccountClassifier {
  private constructor(private readonly models: Partial<Record<Lang, LanguageModel>>) {}

  /** Trains both languages, pausing between slices (run it with `finish` or `finishInSlices`). */
  static *training(file: RedFlagsFile, faq: readonly FaqEntry[]): Steps<AccountClassifier> {
    const models: Partial<Record<Lang, LanguageModel>> = {};
    for (const lang of LANGS) {
      const { warning, calm } = file.examples[lang];
      if (warning.length === 0) continue;
      const texts = [...warning, ...calm, ...faq.flatMap((e) => e[lang].questions)];
      const featurizer = new Featurizer(lang);
      const xs = featurizer.fit(texts);
      yield;
      const classifier = new SoftmaxClassifier(2, featurizer.featureCount);
      const ys = texts.map((_, i) => (i < warning.length ? 1 : 0));
      yield* classifier.training(xs, ys, TRAINING, texts);
      models[lang] = { featurizer, classifier };
    }
    return new AccountClassifier(models);
  }

  /** From 0 to 1; 0 in a language without warning examples. */
  warningLikeness(message: string, lang: Lang): number {
    const model = this.models[lang];
    if (!model) return 0;
    return model.classifier.predict(model.featurizer.analyze(message).vector)[1];
  }
}

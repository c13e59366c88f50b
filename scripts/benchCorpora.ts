/**
 * Measures the question matcher on public intent corpora (shared/benchmarks) next to
 * published figures: NLP.js bilingual set, Braun et al. 2017, CLINC150 (in-scope accuracy and
 * out-of-scope recall, threshold chosen on the validation split only).
 * Usage: npm run bench:corpora [-- --benchmarks ../shared/benchmarks]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decideMatch, DEFAULT_POLICY } from '../core/matching/faqMatcher';
import { LabeledText, OUT_OF_SCOPE, QuestionMatcher } from '../core/matching/questionMatcher';
import { Lang } from '../core/text/language';

const args = process.argv.slice(2);
const dirArg = args.indexOf('--benchmarks');
const root = path.resolve(dirArg >= 0 ? args[dirArg + 1] : path.join(__dirname, '..', '..', 'shared', 'benchmarks'));

function readJson<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(root, ...parts), 'utf8')) as T;
}

interface Prediction {
  id: string;
  probability: number;
  similarity: number;
}

function predict(m: QuestionMatcher, text: string): Prediction {
  const s = m.score(text, 1);
  const top = s.ranked[0];
  if (!top || s.outOfScope > top.probability) return { id: OUT_OF_SCOPE, probability: s.outOfScope, similarity: 0 };
  return top;
}

function pct(n: number): string {
  return `${(100 * n).toFixed(1)} %`;
}

function nlpjs(lang: Lang): string {
  interface Corpus {
    data: { intent: string; utterances: string[]; tests: string[] }[];
  }
  const corpus = readJson<Corpus>('nlpjs-bilingual', `corpus-${lang}.json`);
  const train: LabeledText[] = corpus.data.flatMap((d) => d.utterances.map((text) => ({ text, label: d.intent })));
  const m = new QuestionMatcher(lang, train);
  let top1 = 0;
  let inScope = 0;
  let withRefusal = 0;
  let n = 0;
  for (const d of corpus.data) {
    for (const t of d.tests) {
      n++;
      const scores = m.score(t, 3);
      // The product's own answer policy decides; a refusal is right only for the "None" tests.
      const decision = decideMatch(scores, DEFAULT_POLICY);
      const got = decision.kind === 'answer' ? decision.id : 'None';
      if (got === d.intent) withRefusal++;
      if (d.intent !== 'None') {
        inScope++;
        if (scores.ranked[0]?.id === d.intent) top1++;
      }
    }
  }
  return (
    `nlpjs-bilingual ${lang}: top-1 ${pct(top1 / inScope)} of ${inScope} in-scope tests; ` +
    `with the answer policy (refusing "None") ${pct(withRefusal / n)} of ${n} ` +
    `(published: NLP.js ${lang === 'en' ? '98.8' : '98.0'} %, BM25 ${lang === 'en' ? '84.0' : '83.6'} %)`
  );
}

function braun(): string {
  interface Corpus {
    sentences: { text: string; intent: string; training: boolean }[];
  }
  const rows: string[] = [];
  let tp = 0;
  let total = 0;
  for (const name of ['ChatbotCorpus', 'AskUbuntuCorpus', 'WebApplicationsCorpus']) {
    const c = readJson<Corpus>('braun2017', `${name}.json`);
    const m = new QuestionMatcher(
      'en',
      c.sentences.filter((s) => s.training).map((s) => ({ text: s.text, label: s.intent })),
    );
    const test = c.sentences.filter((s) => !s.training);
    // Micro-averaged F1 over single-label predictions equals accuracy.
    const ok = test.filter((s) => predict(m, s.text).id === s.intent).length;
    tp += ok;
    total += test.length;
    rows.push(`${name.replace('Corpus', '')} ${(ok / test.length).toFixed(2)}`);
  }
  return (
    `braun2017 micro-F1: ${rows.join(' · ')} · overall ${(tp / total).toFixed(2)} ` +
    '(published: NLP.js .99/.93/.83/.93, LUIS .91 overall)'
  );
}

function clinc(): string {
  type Pair = [string, string];
  const d = readJson<Record<string, Pair[]>>('clinc150', 'data_full.json');
  const train: LabeledText[] = [
    ...d.train.map(([text, label]) => ({ text, label })),
    ...d.oos_train.map(([text]) => ({ text, label: OUT_OF_SCOPE })),
  ];
  const m = new QuestionMatcher('en', train, {
    featurizer: { bigrams: true, charNgram: 4 },
    training: { epochs: 15, learningRate: 4, l2: 1e-5, seed: 7 },
  });
  const evaluate = (inScope: Pair[], oos: Pair[], threshold: number): { acc: number; oosRecall: number } => {
    const accept = (p: Prediction): boolean => p.id !== OUT_OF_SCOPE && p.probability >= threshold;
    const acc =
      inScope.filter(([t, l]) => {
        const p = predict(m, t);
        return accept(p) && p.id === l;
      }).length / inScope.length;
    const oosRecall = oos.filter(([t]) => !accept(predict(m, t))).length / oos.length;
    return { acc, oosRecall };
  };
  let best = { threshold: 0, score: -1 };
  for (const threshold of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
    const r = evaluate(d.val, d.oos_val, threshold);
    const score = r.acc + r.oosRecall;
    if (score > best.score) best = { threshold, score };
  }
  const r = evaluate(d.test, d.oos_test, best.threshold);
  return (
    `clinc150 (threshold ${best.threshold} from val): in-scope accuracy ${pct(r.acc)}, ` +
    `out-of-scope recall ${pct(r.oosRecall)} (published with oos_train class: Rasa 91.5/45.3, BERT 96.9/40.3)`
  );
}

const started = Date.now();
console.log(nlpjs('en'));
console.log(nlpjs('es'));
console.log(braun());
if (!args.includes('--quick')) console.log(clinc());
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);

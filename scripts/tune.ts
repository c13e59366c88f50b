/**
 * Helps choose the answer-policy thresholds WITHOUT the held-out set. For each candidate policy it
 * prints: the development set (test/eval/dev-set.yaml), 5-fold cross-validation over the curated
 * phrasings and out-of-scope examples, and off-domain sentences from the public corpora (every
 * CLINC150 / NLP.js sentence is out of scope for a skin clinic). Ranked by the dev set.
 * Usage: npm run tune [-- --benchmarks ../shared/benchmarks]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContentSet, loadContent } from '../core/content/contentLoader';
import { readEvalCases } from '../core/evaluation/heldoutEvaluation';
import { RedFlagDetector } from '../core/safety/redFlagDetector';
import { decideMatch, DEFAULT_POLICY, FaqMatcher, MatchPolicy } from '../core/matching/faqMatcher';
import { MatchScores } from '../core/matching/questionMatcher';
import { Lang, LANGS } from '../core/text/language';

const FOLDS = 5;
const args = process.argv.slice(2);
const dirArg = args.indexOf('--benchmarks');
const benchDir = path.resolve(
  dirArg >= 0 ? args[dirArg + 1] : path.join(__dirname, '..', '..', 'shared', 'benchmarks'),
);

interface Scored {
  scores: MatchScores;
  expect: string | null;
}

function foldOf<T>(items: readonly T[], fold: number, heldOut: boolean): T[] {
  return items.filter((_, i) => (i % FOLDS === fold) === heldOut);
}

function crossValidate(content: ContentSet): Scored[] {
  const out: Scored[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = {
      faq: content.faq.map((e) => ({
        ...e,
        en: { ...e.en, questions: foldOf(e.en.questions, fold, false) },
        es: { ...e.es, questions: foldOf(e.es.questions, fold, false) },
      })),
      synonyms: content.synonyms,
      scope: {
        ...content.scope,
        outOfScope: content.scope.outOfScope.map((g) => ({
          ...g,
          en: foldOf(g.en, fold, false),
          es: foldOf(g.es, fold, false),
        })),
      },
    };
    const matcher = new FaqMatcher(train);
    for (const lang of LANGS) {
      for (const e of content.faq) {
        for (const q of foldOf(e[lang].questions, fold, true))
          out.push({ scores: matcher.score(q, lang), expect: e.id });
      }
      for (const g of content.scope.outOfScope) {
        for (const q of foldOf(g[lang], fold, true)) out.push({ scores: matcher.score(q, lang), expect: null });
      }
    }
  }
  return out;
}

function offDomain(content: ContentSet): Scored[] {
  const matcher = new FaqMatcher(content);
  const out: Scored[] = [];
  const add = (lang: Lang, texts: string[]): void => {
    for (const t of texts) out.push({ scores: matcher.score(t, lang), expect: null });
  };
  const clinc = JSON.parse(fs.readFileSync(path.join(benchDir, 'clinc150', 'data_full.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  add(
    'en',
    clinc.val.filter((_, i) => i % 10 === 0).map(([t]) => t),
  );
  add(
    'en',
    clinc.oos_val.map(([t]) => t),
  );
  for (const lang of LANGS) {
    const corpus = JSON.parse(
      fs.readFileSync(path.join(benchDir, 'nlpjs-bilingual', `corpus-${lang}.json`), 'utf8'),
    ) as {
      data: { tests: string[] }[];
    };
    add(
      lang,
      corpus.data.flatMap((d) => d.tests).filter((_, i) => i % 2 === 0),
    );
  }
  return out;
}

function measure(items: Scored[], policy: MatchPolicy): { inScope: number; refusal: number } {
  let ok = 0;
  let n = 0;
  let refused = 0;
  let m = 0;
  for (const it of items) {
    const d = decideMatch(it.scores, policy);
    if (it.expect === null) {
      m++;
      if (d.kind !== 'answer') refused++;
    } else {
      n++;
      if (d.kind === 'answer' && d.id === it.expect) ok++;
    }
  }
  return { inScope: n ? ok / n : 0, refusal: m ? refused / m : 1 };
}

function devSet(content: ContentSet): Scored[] {
  const matcher = new FaqMatcher(content);
  const flags = new RedFlagDetector(content.redFlags);
  return readEvalCases(path.resolve('test/eval/dev-set.yaml'))
    .filter((c) => c.expect !== 'red-flag' && !flags.detect(c.text).level)
    .map((c) => ({ scores: matcher.score(c.text, c.lang), expect: c.expect === 'out-of-scope' ? null : c.expect }));
}

const content = loadContent(path.resolve('content'));
const dev = devSet(content);
const cv = crossValidate(content);
const off = offDomain(content);
console.log(`dev-set items: ${dev.length}; cross-validation items: ${cv.length}; off-domain sentences: ${off.length}`);
const rows: {
  policy: MatchPolicy;
  dev: ReturnType<typeof measure>;
  cv: ReturnType<typeof measure>;
  off: ReturnType<typeof measure>;
}[] = [];
for (const accept of [0.4, 0.45, 0.5, 0.55, 0.6, 0.65]) {
  for (const minSimilarity of [0.1, 0.2, 0.3]) {
    for (const minCoverage of [0.3, 0.4, 0.5, 0.6]) {
      const policy = { ...DEFAULT_POLICY, accept, minSimilarity, minCoverage };
      rows.push({ policy, dev: measure(dev, policy), cv: measure(cv, policy), off: measure(off, policy) });
    }
  }
}
const p = (x: number): string => `${(100 * x).toFixed(1)}`.padStart(5);
rows.sort((a, b) => b.dev.inScope + b.dev.refusal - (a.dev.inScope + a.dev.refusal) || b.off.refusal - a.off.refusal);
console.log('accept  minSim  minCov | dev in  dev oos | cv in  cv oos | off-domain oos');
for (const r of rows.slice(0, 12)) {
  const { accept, minSimilarity, minCoverage } = r.policy;
  console.log(
    `${accept.toFixed(2).padStart(6)}  ${minSimilarity.toFixed(2).padStart(6)}  ` +
      `${minCoverage.toFixed(2).padStart(6)} | ` +
      `${p(r.dev.inScope)}  ${p(r.dev.refusal)}   | ${p(r.cv.inScope)}  ${p(r.cv.refusal)} | ${p(r.off.refusal)}`,
  );
}

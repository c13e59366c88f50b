/**
 * Answering quality, measured on the path patients take (the one message decision): in-scope
 * accuracy, out-of-scope refusal (or honest partial answers), red-flag recall and false alarms.
 * Usage: npm run eval [-- --failures] [-- --file some.yaml]
 * Without --file: the real-world held-out set (the headline figure), then the other sets. Each set is also
 * run in a chat set to the other language, as when a Spanish speaker writes on the English page.
 * --failures never lists a held-out set's failures: tuning on them would spoil the figure.
 */
import * as path from 'node:path';
import { createLocalizer } from '../bot/i18n';
import { loadConfig } from '../core/config';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { decisionParts } from '../core/consultation/messageDecision';
import { loadContent } from '../core/content/contentLoader';
import { EvalCase, EvalReport, evaluate, percent, readEvalFile } from '../core/evaluation/heldoutEvaluation';
import { LANGS } from '../core/text/language';

const DEFAULT_FILES = [
  'test/eval/realworld/heldout.yaml',
  'test/eval/realworld/dev.yaml',
  'test/eval/heldout.yaml',
  'test/eval/dev-set.yaml',
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fileArg = args.indexOf('--file');
  const files = fileArg >= 0 ? [args[fileArg + 1]] : DEFAULT_FILES;
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const i18n = await createLocalizer(config.localesDir, true);
  const engine = new ConsultationEngine(loadContent(config.contentDir), i18n.commands);
  const parts = decisionParts(
    engine,
    i18n.replies,
    LANGS.map((l) => i18n.t(l, 'flows.booking.buttons.send')),
  );
  for (const file of files) {
    const { cases, sources } = readEvalFile(path.resolve(file));
    const r = evaluate(parts, cases);
    console.log(`\n${file} (${cases.length} cases)`);
    console.log(
      `in-scope answered right  all ${percent(r.inScope.all)} · ` +
        `en ${percent(r.inScope.en)} · es ${percent(r.inScope.es)}`,
    );
    console.log(`  (+ "did you mean" offering the right entry: ${percent(r.clarifiedWithRight)} of clarifications)`);
    console.log(
      `out of scope refused or honestly partial  all ${percent(r.outOfScope.all)} · ` +
        `en ${percent(r.outOfScope.en)} · es ${percent(r.outOfScope.es)}`,
    );
    console.log(
      `red-flag recall          all ${percent(r.redFlag.all)} · ` +
        `en ${percent(r.redFlag.en)} · es ${percent(r.redFlag.es)}`,
    );
    console.log(`red-flag false alarms    ${percent(r.falseAlarms)} of non-red-flag messages`);
    if (sources) {
      // Patients send questions and accounts of their own skin, not the statements of articles.
      const author = new Map(sources.map((src) => [src.id, src.author]));
      const slices: [string, EvalCase[]][] = [
        ['questions only', cases.filter((c) => isQuestion(c.text))],
        ["patients' own messages", cases.filter((c) => author.get(c.source ?? '') === 'patient')],
      ];
      for (const [name, slice] of slices)
        console.log(`  ${name} (${slice.length}): ${summary(evaluate(parts, slice))}`);
    }
    // A patient may write in the language the chat was not set to (a Spanish speaker on the English page).
    const other = evaluate(
      parts,
      cases.map((c) => ({ ...c, lang: c.lang === 'en' ? ('es' as const) : ('en' as const) })),
    );
    console.log(`  in a chat set to the other language: ${summary(other)}`);
    if (args.includes('--failures') && !isHeldOut(file)) {
      for (const f of r.failures) console.log(`  ✗ [${f.lang}] expected ${f.expect}, got ${f.got}: ${f.text}`);
    } else {
      const how = isHeldOut(file) ? 'held-out failures are never listed' : '--failures lists them';
      console.log(`(${r.failures.length} failures; ${how})`);
    }
  }
}

/** The four figures of a report on one line. */
function summary(r: EvalReport): string {
  return (
    `in-scope ${percent(r.inScope.all)} · out of scope ${percent(r.outOfScope.all)}` +
    ` · red flags ${percent(r.redFlag.all)} · false alarms ${percent(r.falseAlarms)}`
  );
}

/** A message that asks: it ends in a question mark or opens with "¿". */
function isQuestion(text: string): boolean {
  return /\?\s*$/.test(text) || text.trim().startsWith('¿');
}

function isHeldOut(file: string): boolean {
  return /heldout/i.test(path.basename(file));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

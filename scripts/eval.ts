/**
 * Held-out evaluation: patient questions written without looking at content/ (test/eval/heldout.yaml).
 * Prints in-scope accuracy, out-of-scope refusal, red-flag recall and false alarms, per language.
 * Usage: npm run eval [-- --failures] [-- --file other.yaml]
 */
import * as path from 'node:path';
import { createLocalizer } from '../bot/i18n';
import { loadConfig } from '../core/config';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { loadContent } from '../core/content/contentLoader';
import { evaluate, percent, readEvalCases } from '../core/evaluation/heldoutEvaluation';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fileArg = args.indexOf('--file');
  const file = path.resolve(fileArg >= 0 ? args[fileArg + 1] : 'test/eval/heldout.yaml');
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const i18n = await createLocalizer(config.localesDir, true);
  const engine = new ConsultationEngine(loadContent(config.contentDir), i18n.commands);
  const cases = readEvalCases(file);
  const r = evaluate(engine, cases);
  console.log(`held-out set: ${path.relative(process.cwd(), file)} (${cases.length} cases)`);
  console.log(`in-scope accuracy       all ${percent(r.inScope.all)} · en ${percent(r.inScope.en)} · es ${percent(r.inScope.es)}`);
  console.log(`  (+ "did you mean" offering the right entry: ${percent(r.clarifiedWithRight)} of clarifications)`);
  console.log(`out-of-scope refusal    all ${percent(r.outOfScope.all)} · en ${percent(r.outOfScope.en)} · es ${percent(r.outOfScope.es)}`);
  console.log(`red-flag recall         all ${percent(r.redFlag.all)} · en ${percent(r.redFlag.en)} · es ${percent(r.redFlag.es)}`);
  console.log(`red-flag false alarms   ${percent(r.falseAlarms)} of non-red-flag messages`);
  if (args.includes('--failures')) {
    for (const f of r.failures) console.log(`  ✗ [${f.lang}] expected ${f.expect}, got ${f.got}: ${f.text}`);
  } else {
    console.log(`(${r.failures.length} failures; --failures lists them)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

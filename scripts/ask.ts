/**
 * Shows what the bot would answer, before an edit goes live.
 * Usage: npm run ask -- "does it hurt?"   |   npm run ask -- --lang es "¿duele?"
 */
import * as path from 'node:path';
import { createLocalizer } from '../bot/i18n';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { loadContent } from '../core/content/contentLoader';
import { formatQuestionReport, reportQuestion } from '../core/consultation/questionReport';
import { Lang } from '../core/text/language';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const langAt = args.indexOf('--lang');
  const lang: Lang = langAt >= 0 && args[langAt + 1] === 'es' ? 'es' : 'en';
  const question = args
    .filter((_, i) => langAt < 0 || (i !== langAt && i !== langAt + 1))
    .join(' ')
    .trim();
  if (question === '') {
    console.error('Usage: npm run ask -- "your question"   (add --lang es for Spanish)');
    process.exit(2);
  }
  const i18n = await createLocalizer(path.resolve('locales'), true);
  const engine = new ConsultationEngine(loadContent(path.resolve('content')), i18n.commands);
  console.log(formatQuestionReport(reportQuestion(engine, question, lang)));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

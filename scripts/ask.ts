/**
 * Shows what the bot would answer, before an edit goes live.
 * Usage: npm run ask -- "does it hurt?"   |   npm run ask -- --lang es "¿duele?"
 */
import * as path from 'node:path';
import { createLocalizer } from '../bot/i18n';
import { todayIn } from '../core/aftercare/treatmentDate';
import { loadConfig } from '../core/config';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { decisionParts } from '../core/consultation/messageDecision';
import { loadContent } from '../core/content/contentLoader';
import { formatQuestionReport, reportQuestion } from '../core/consultation/questionReport';
import { Lang, LANGS } from '../core/text/language';

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
  const config = loadConfig(process.env);
  const i18n = await createLocalizer(path.resolve(config.localesDir), true);
  const engine = new ConsultationEngine(loadContent(path.resolve(config.contentDir)), i18n.commands);
  // Decided as the first message of a new conversation, today, as patients' messages are.
  const titles = (key: string): string[] => LANGS.map((l) => i18n.t(l, key));
  const parts = decisionParts(
    engine,
    i18n.replies,
    titles('flows.booking.buttons.send'),
    titles('handoff.callbackButton'),
  );
  const situation = {
    today: todayIn(new Date(), engine.content.clinic.timeZone),
    maxMessageChars: config.maxMessageChars,
  };
  console.log(formatQuestionReport(reportQuestion(parts, question, lang, situation)));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

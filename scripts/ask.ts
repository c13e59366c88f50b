/**
 * Shows what the bot would answer, before an edit goes live.
 * Usage: npm run ask -- "does it hurt?"   |   npm run ask -- --lang es "¿duele?"
 */
import * as path from 'node:path';
import { createLocalizer } from '../bot/i18n';
import { ConsultationEngine } from '../core/consultation/consultationEngine';
import { loadContent } from '../core/content/contentLoader';
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
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;

  console.log(`Question (${lang}): ${question}\n`);
  const flagged = engine.checkRedFlags(question, lang);
  const warning = flagged
    ? `YES — ${flagged.level}: ${flagged.signs.join(', ')} (urgent guidance is sent before anything else)`
    : 'no';
  console.log(`Warning sign:  ${warning}`);
  const reply = engine.respond(question, lang);
  const scores = engine.faqMatcher.score(question, reply.lang, 4);
  switch (reply.kind) {
    case 'answer':
      console.log(
        `Bot replies:   the answer of entry "${reply.entry.id}" — ${reply.entry[reply.lang].title} ` +
          `(confidence ${pct(reply.confidence)})`,
      );
      console.log(`\n${reply.text}\nSources: ${reply.sources.map((s) => s.name).join('; ')}`);
      break;
    case 'clarify':
      console.log(`Bot replies:   "did you mean" with ${reply.options.map((o) => `"${o.id}"`).join(', ')}`);
      break;
    case 'flow':
      console.log(`Bot replies:   starts the ${reply.flow} conversation`);
      break;
    case 'command':
      console.log(`Bot replies:   the "${reply.command}" command`);
      break;
    case 'fallback':
      console.log(`Bot replies:   "I don't have an answer to that" (nothing is confident enough)`);
      break;
    case 'red-flag':
      console.log('Bot replies:   urgent guidance');
      break;
  }
  console.log(
    `\nMatcher (${scores.lang}): how much of the question it knows ${pct(scores.coverage)}, ` +
      `out-of-scope ${pct(scores.outOfScope)}`,
  );
  for (const r of scores.ranked) {
    console.log(`  ${pct(r.probability).padStart(5)}  ${r.id}  (closest phrasing ${pct(r.similarity)})`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

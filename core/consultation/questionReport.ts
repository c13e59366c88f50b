import { RedFlag } from '../content/schemas';
import { Lang } from '../text/language';
import { ConsultationEngine } from './consultationEngine';

/** What the bot would reply, in the words of `npm run ask` and the console's test pane. */
export type ReportedReply =
  | { kind: 'answer'; entryId: string; title: string; confidence: number; text: string; sources: string[] }
  | { kind: 'did-you-mean'; options: { id: string; title: string }[]; confidence: number }
  | { kind: 'flow'; flow: string }
  | { kind: 'command'; command: string }
  | { kind: 'fallback'; confidence: number }
  /** Nothing answers, and the question names topics the content does not cover (PRP, prices…). */
  | { kind: 'not-covered'; topics: string[]; confidence: number }
  | { kind: 'urgent' };

/** Everything `npm run ask` shows about one question. */
export interface QuestionReport {
  question: string;
  lang: Lang;
  /** A warning sign in the message: urgent guidance goes first, whatever else is answered. */
  warningSign?: { level: RedFlag['level']; signs: string[] };
  reply: ReportedReply;
  /** Topics the question names that the content does not cover (said before any answer). */
  notCovered: string[];
  /** The matcher's view: how much of the question it knows, and the closest entries with their scores. */
  matcher: {
    lang: Lang;
    coverage: number;
    outOfScope: number;
    ranked: { id: string; probability: number; similarity: number }[];
  };
}

const RUNNERS_UP = 4;

/** What the engine would do with a question, with the matcher's scores: the one logic behind ask and the test pane. */
export function reportQuestion(engine: ConsultationEngine, question: string, lang: Lang): QuestionReport {
  const flagged = engine.checkRedFlags(question, lang);
  const reply = engine.respond(question, lang);
  const scores = engine.faqMatcher.score(question, reply.lang, RUNNERS_UP);
  const notCovered = engine.notCoveredTopics(question).map((t) => t[reply.lang].name);
  let reported: ReportedReply;
  switch (reply.kind) {
    case 'answer':
      reported = {
        kind: 'answer',
        entryId: reply.entry.id,
        title: reply.entry[reply.lang].title,
        confidence: reply.confidence,
        text: reply.text,
        sources: reply.sources.map((s) => s.name),
      };
      break;
    case 'clarify':
      reported = {
        kind: 'did-you-mean',
        options: reply.options.map((o) => ({ id: o.id, title: o[reply.lang].title })),
        confidence: reply.confidence,
      };
      break;
    case 'flow':
      reported = { kind: 'flow', flow: reply.flow };
      break;
    case 'command':
      reported = { kind: 'command', command: reply.command };
      break;
    case 'fallback':
      reported =
        notCovered.length > 0
          ? { kind: 'not-covered', topics: notCovered, confidence: reply.confidence }
          : { kind: 'fallback', confidence: reply.confidence };
      break;
    case 'red-flag':
      reported = { kind: 'urgent' };
      break;
  }
  return {
    question,
    lang,
    ...(flagged ? { warningSign: { level: flagged.level, signs: flagged.signs } } : {}),
    reply: reported,
    notCovered,
    matcher: {
      lang: scores.lang,
      coverage: scores.coverage,
      outOfScope: scores.outOfScope,
      ranked: scores.ranked.map((r) => ({ id: r.id, probability: r.probability, similarity: r.similarity })),
    },
  };
}

/** The report as `npm run ask` prints it. */
export function formatQuestionReport(report: QuestionReport): string {
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
  const out: string[] = [`Question (${report.lang}): ${report.question}`, ''];
  const flag = report.warningSign;
  const urgent = flag && `YES — ${flag.level}: ${flag.signs.join(', ')} (urgent guidance is sent before anything else)`;
  out.push(`Warning sign:  ${urgent ?? 'no'}`);
  const { reply } = report;
  switch (reply.kind) {
    case 'answer':
      out.push(
        `Bot replies:   the answer of entry "${reply.entryId}" — ${reply.title} (confidence ${pct(reply.confidence)})`,
        '',
        reply.text,
        `Sources: ${reply.sources.join('; ')}`,
      );
      break;
    case 'did-you-mean':
      out.push(`Bot replies:   "did you mean" with ${reply.options.map((o) => `"${o.id}"`).join(', ')}`);
      break;
    case 'flow':
      out.push(`Bot replies:   starts the ${reply.flow} conversation`);
      break;
    case 'command':
      out.push(`Bot replies:   the "${reply.command}" command`);
      break;
    case 'fallback':
      out.push(`Bot replies:   "I don't have an answer to that" (nothing is confident enough)`);
      break;
    case 'not-covered':
      out.push(`Bot replies:   says the clinic's information does not cover ${reply.topics.join(', ')}`);
      break;
    case 'urgent':
      out.push('Bot replies:   urgent guidance');
      break;
  }
  if (reply.kind !== 'not-covered' && report.notCovered.length > 0)
    out.push(`Not covered:   ${report.notCovered.join(', ')} (said first)`);
  const m = report.matcher;
  out.push(
    '',
    `Matcher (${m.lang}): how much of the question it knows ${pct(m.coverage)}, out-of-scope ${pct(m.outOfScope)}`,
  );
  for (const r of m.ranked)
    out.push(`  ${pct(r.probability).padStart(5)}  ${r.id}  (closest phrasing ${pct(r.similarity)})`);
  return out.join('\n');
}

import { CalendarDay } from '../aftercare/treatmentDate';
import { RedFlag } from '../content/schemas';
import { Lang } from '../text/language';
import { AnswerReply } from './consultationEngine';
import { DecisionParts, decideMessage, MessageDecision } from './messageDecision';

/** One entry answered: its id, title, confidence, text and sources. */
export interface ReportedAnswer {
  entryId: string;
  title: string;
  confidence: number;
  text: string;
  sources: string[];
}

/** What the bot would reply, in the words of `npm run ask` and the console's test pane. */
export type ReportedReply =
  /** The first entry answered; `more` holds the others when the message asks several things. */
  | ({ kind: 'answer'; more: ReportedAnswer[] } & ReportedAnswer)
  | { kind: 'did-you-mean'; options: { id: string; title: string }[]; confidence: number }
  | { kind: 'flow'; flow: string }
  /** Day-by-day aftercare guidance for the treatment date the message gives. */
  | { kind: 'day-report'; treatmentDate: string }
  | { kind: 'command'; command: string }
  /** The patient is offered a person at the clinic. */
  | { kind: 'person' }
  | { kind: 'too-long' }
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

/** Where and when the question is asked: today's date for treatment dates, and the message length limit. */
export interface ReportSituation {
  today: CalendarDay;
  maxMessageChars: number;
}

/**
 * What the bot would do with a question as the first message of a new conversation, decided by the
 * same `decideMessage` patients' messages go through, with the matcher's scores: the one logic
 * behind `npm run ask` and the console's test pane.
 */
export function reportQuestion(
  parts: DecisionParts,
  question: string,
  lang: Lang,
  situation: ReportSituation,
): QuestionReport {
  const { engine } = parts;
  const text = question.trim();
  const decision = decideMessage({ text, lang, ...situation }, parts);
  const replyLang = 'lang' in decision ? decision.lang : decision.kind === 'red-flag' ? decision.reply.lang : lang;
  const scores = engine.faqMatcher.score(text, replyLang, RUNNERS_UP);
  const topics = engine.notCoveredTopics(text).map((t) => t[replyLang].name);
  const notCovered = decision.kind === 'answers' || decision.kind === 'fallback' ? decision.notCovered : topics;
  const flagged = decision.kind === 'red-flag' ? decision.reply : undefined;
  return {
    question: text,
    lang,
    ...(flagged ? { warningSign: { level: flagged.level, signs: flagged.signs } } : {}),
    reply: reportedReply(decision),
    notCovered,
    matcher: {
      lang: scores.lang,
      coverage: scores.coverage,
      outOfScope: scores.outOfScope,
      ranked: scores.ranked.map((r) => ({ id: r.id, probability: r.probability, similarity: r.similarity })),
    },
  };
}

function reportedReply(decision: MessageDecision): ReportedReply {
  switch (decision.kind) {
    case 'red-flag':
      return { kind: 'urgent' };
    case 'answers': {
      const [first, ...more] = decision.answers.map(reportedAnswer);
      return { kind: 'answer', ...first, more };
    }
    case 'clarify':
      return {
        kind: 'did-you-mean',
        options: decision.options.map((o) => ({ id: o.id, title: o[decision.lang].title })),
        confidence: decision.confidence,
      };
    case 'start-flow':
      return { kind: 'flow', flow: decision.flow };
    case 'day-report':
      return { kind: 'day-report', treatmentDate: decision.treatmentDate };
    case 'command':
      return { kind: 'command', command: decision.command };
    case 'ask-person':
      return { kind: 'person' };
    case 'too-long':
      return { kind: 'too-long' };
    case 'fallback':
      return decision.notCovered.length > 0
        ? { kind: 'not-covered', topics: decision.notCovered, confidence: decision.confidence }
        : { kind: 'fallback', confidence: decision.confidence };
    default:
      // A new conversation has no flow, check-ins, handoff or pending question: nothing else is decided.
      return { kind: 'fallback', confidence: 0 };
  }
}

function reportedAnswer(a: AnswerReply): ReportedAnswer {
  return {
    entryId: a.entry.id,
    title: a.entry[a.lang].title,
    confidence: a.confidence,
    text: a.text,
    sources: a.sources.map((s) => s.name),
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
      for (const [i, a] of [reply, ...reply.more].entries()) {
        const lead = i === 0 ? 'Bot replies:   the answer of entry' : 'Then:          the answer of entry';
        if (i > 0) out.push('');
        out.push(
          `${lead} "${a.entryId}" — ${a.title} (confidence ${pct(a.confidence)})`,
          '',
          a.text,
          `Sources: ${a.sources.join('; ')}`,
        );
      }
      break;
    case 'day-report':
      out.push(`Bot replies:   day-by-day aftercare guidance for a treatment on ${reply.treatmentDate}`);
      break;
    case 'person':
      out.push('Bot replies:   offers a person at the clinic');
      break;
    case 'too-long':
      out.push('Bot replies:   asks for a shorter message');
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

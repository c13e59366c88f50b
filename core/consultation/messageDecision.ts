import { CalendarDay, mentionsDate, parseTreatmentDate, toIso } from '../aftercare/treatmentDate';
import { Command, FLOW_REPLIES, FlowReply, FlowReplyPhrases, PhraseRecognizer } from '../commands/commandRecognizer';
import { FaqEntry, Flow } from '../content/schemas';
import { guessLanguage, Lang } from '../text/language';
import { normalizeText, tokenize } from '../text/normalize';
import { asksForPerson } from './personRequest';
import { AnswerReply, ConsultationEngine, EngineReply, PreviousAnswer } from './consultationEngine';

/** What is known about the conversation when a message arrives; everything the decision depends on. */
export interface MessageSituation {
  /** The message text, trimmed; empty for a card submit or an attachment. */
  text: string;
  /** The patient's language: their choice, else the channel's locale. */
  lang: Lang;
  maxMessageChars: number;
  /** Today where the patient is, for treatment dates. */
  today: CalendarDay;
  /** "Forget me?" was asked in this conversation and still awaits its yes or no. */
  forgetAsked?: boolean;
  /** The guided conversation waiting for this message, and whether the message is an answer it reads itself. */
  flow?: { id: Flow; understands: boolean };
  /** The treatment date given earlier in this conversation (YYYY-MM-DD). */
  treatmentDate?: string;
  /** A consultation request was already sent from this conversation. */
  bookingSent?: boolean;
  /** The answer given just before, for follow-ups. */
  previous?: PreviousAnswer;
  /** The patient is waiting for a person at the clinic, or talking with one: the bot stays out of it. */
  handoff?: 'waiting' | 'with-person';
  /** The bot could not answer the message before this one. */
  lastUnanswered?: boolean;
  /** Aftercare check-ins are scheduled for this patient (so "stop" ends them). */
  checkIns?: boolean;
  /** Check-ins were offered for the treatment date in this conversation: "Yes, please" answers that. */
  checkInsOffered?: boolean;
}

/** What the bot does with one message. One decision for every message, in or out of a guided conversation. */
export type MessageDecision =
  | { kind: 'not-text'; lang: Lang }
  /** Warning signs: urgent guidance first, whatever else is going on; then a person is offered (`offerPerson`). */
  | { kind: 'red-flag'; reply: Extract<EngineReply, { kind: 'red-flag' }>; tooLong: boolean; offerPerson: boolean }
  /** The patient asks for a person at the clinic. */
  | { kind: 'ask-person'; lang: Lang }
  /** While a person has the conversation (or it waits for one): the message goes to staff, the bot says nothing. */
  | { kind: 'to-person'; lang: Lang }
  /** "cancel" while waiting for or talking with a person: back to the bot. */
  | { kind: 'leave-person'; lang: Lang }
  /** "stop" / "no more messages": no more check-ins. */
  | { kind: 'opt-out'; lang: Lang }
  /** The answer to "would you like check-ins?": planned only on an explicit yes. */
  | { kind: 'check-ins'; lang: Lang; answer: 'yes' | 'no' }
  | { kind: 'too-long'; lang: Lang; chars: number }
  | { kind: 'forget-confirmed'; lang: Lang }
  | { kind: 'forget-declined'; lang: Lang }
  /** Inside a flow: "stop" / "cancel". */
  | { kind: 'stop-flow'; lang: Lang }
  /** Inside a flow: an answer to its question, which the flow reads itself. */
  | { kind: 'flow-reads' }
  | { kind: 'day-report'; lang: Lang; treatmentDate: string }
  | { kind: 'repeated-send'; lang: Lang }
  | { kind: 'command'; lang: Lang; command: Command }
  | { kind: 'answers'; lang: Lang; answers: AnswerReply[]; notCovered: string[]; via: 'whole' | 'parts' | 'follow-up' }
  | { kind: 'clarify'; lang: Lang; options: FaqEntry[]; confidence: number; notCovered: string[] }
  /** No answer; `offerPerson` after the second in a row. */
  | { kind: 'fallback'; lang: Lang; confidence: number; notCovered: string[]; offerPerson?: boolean }
  | { kind: 'start-flow'; lang: Lang; flow: Flow; reason: 'asked' | 'treatment-date' | 'callback' };

export interface DecisionParts {
  engine: ConsultationEngine;
  /** Short replies: yes / no / stop… */
  flowReplies: PhraseRecognizer<FlowReply>;
  /** The "send request" button's titles, normalised: a second tap after sending is answered as such. */
  sendButtonTitles: ReadonlySet<string>;
  /** The "request a callback" button's titles, normalised: a booking request asking the clinic to call. */
  callbackTitles?: ReadonlySet<string>;
  /** The check-in buttons (content/followups.yaml), normalised: yes / no to the offer, and "stop check-ins". */
  checkInAnswers?: ReadonlyMap<string, 'yes' | 'no' | 'stop'>;
}

/** The parts a decision needs, from the engine and the locales' short replies and "send" button titles. */
export function decisionParts(
  engine: ConsultationEngine,
  replyPhrases: Record<Lang, FlowReplyPhrases>,
  sendButtonTitles: readonly string[],
  callbackTitles: readonly string[] = [],
): DecisionParts {
  return {
    engine,
    flowReplies: new PhraseRecognizer(replyPhrases, FLOW_REPLIES),
    sendButtonTitles: new Set(sendButtonTitles.map(normalizeText)),
    callbackTitles: new Set(callbackTitles.map(normalizeText)),
  };
}

/**
 * Words saying a treatment took place, so a date in the message is read as the treatment's ("had it done on Monday").
 */
const TREATMENT_MENTION = new RegExp(
  `\\b(${[
    'done|did|had|got|treated|treatment|session|procedure|appointment|microneedl\\w*|dermapen|needling|day',
    'hice|hicieron|hizo|tratamiento|sesion|cita|microneedling|micropuncion|dia',
  ].join('|')})\\b`,
);

/** Words that count time from something past ("2 days ago", "since Monday", "it's been 2 days", "hace 3 días"). */
const SINCE_WORDS = /\b(ago|since|post|later|been|hace|desde|despues|llevo|lleva|van)\b|\b(days?|weeks?) after\b/;

/** Words of a patient telling how their skin is doing now ("still peeling", "sigo roja"). */
const STATUS_REPORT = /\b(still|now|today|normal|anymore|sigo|sigue|siguen|todavia|aun|ahora|hoy|normal)\b/;

/**
 * Decides what to do with one patient message, in this order: a message without text; warning
 * signs (always first, even in an over-long message); over-long; the answer to "forget me?";
 * inside a guided conversation "stop" and the flow's own answers; a day-by-day aftercare report;
 * a repeated "send"; then commands, guided conversations and answers.
 */
export function decideMessage(s: MessageSituation, parts: DecisionParts): MessageDecision {
  const { text, lang } = s;
  const { engine, flowReplies } = parts;
  if (text === '') return { kind: 'not-text', lang };
  const flagged = engine.checkRedFlags(text, lang);
  const tooLong = text.length > s.maxMessageChars;
  if (flagged) return { kind: 'red-flag', reply: flagged, tooLong, offerPerson: !s.handoff };
  if (s.handoff) return personDecision(s, parts);
  if (tooLong) return { kind: 'too-long', lang, chars: text.length };

  const reply = flowReplies.recognize(text)?.command;
  if (asksForPerson(text)) return { kind: 'ask-person', lang: guessedLang(text, lang) };
  if (parts.callbackTitles?.has(normalizeText(text)))
    return { kind: 'start-flow', lang, flow: 'booking', reason: 'callback' };
  const checkInAnswer = parts.checkInAnswers?.get(normalizeText(text));
  if (!s.flow && s.checkIns && (reply === 'stop' || checkInAnswer === 'stop' || commandOf(text, parts) === 'optOut'))
    return { kind: 'opt-out', lang };
  if (s.checkInsOffered && (checkInAnswer === 'yes' || checkInAnswer === 'no'))
    return { kind: 'check-ins', lang, answer: checkInAnswer };
  if (s.forgetAsked) {
    if (reply === 'yes') return { kind: 'forget-confirmed', lang };
    if (reply === 'no' || reply === 'stop') return { kind: 'forget-declined', lang };
  }
  if (s.flow) {
    if (reply === 'stop') return { kind: 'stop-flow', lang };
    if (reply || s.flow.understands) return { kind: 'flow-reads' };
  } else {
    const report = dayReport(s, engine);
    if (report) return report;
    if (s.bookingSent && parts.sendButtonTitles.has(normalizeText(text))) return { kind: 'repeated-send', lang };
  }

  const understood = engine.understand(text, lang, s.previous);
  switch (understood.kind) {
    case 'flow':
      // "I had my laser session on Monday": the aftercare conversation is microneedling's.
      if (understood.flow === 'aftercare' && engine.namesOtherProcedure(text)) {
        const notCovered = engine.notCoveredTopics(text).map((t) => t[understood.lang].name);
        return { kind: 'fallback', lang: understood.lang, confidence: 0, notCovered };
      }
      return { kind: 'start-flow', lang: understood.lang, flow: understood.flow, reason: 'asked' };
    case 'fallback':
      if (s.flow) {
        // Inside a flow, only a plain question nobody curated is refused; anything else is the flow's to read.
        return /\?\s*$|^\s*¿/.test(text) ? understood : { kind: 'flow-reads' };
      }
      // A message with a treatment date that nothing else answers is about aftercare ("had it done on 1 Dec"),
      // unless it asks about something the content does not cover ("microneedling for hair loss").
      if (
        understood.notCovered.length === 0 &&
        TREATMENT_MENTION.test(normalizeText(text)) &&
        parseTreatmentDate(text, s.today, understood.lang).kind !== 'none' &&
        !engine.namesOtherProcedure(text)
      ) {
        return { kind: 'start-flow', lang: understood.lang, flow: 'aftercare', reason: 'treatment-date' };
      }
      // Twice in a row without an answer: a person at the clinic is offered.
      return s.lastUnanswered ? { ...understood, offerPerson: true } : understood;
    default:
      return understood;
  }
}

/**
 * While the patient waits for or talks with a person: "cancel" (or "stop", "start over") goes back
 * to the bot; anything else is for staff. Warning signs were decided before this.
 */
function personDecision(s: MessageSituation, parts: DecisionParts): MessageDecision {
  const reply = parts.flowReplies.recognize(s.text)?.command;
  const command = commandOf(s.text, parts);
  if (reply === 'stop' || command === 'restart') return { kind: 'leave-person', lang: s.lang };
  return { kind: 'to-person', lang: s.lang };
}

function commandOf(text: string, parts: DecisionParts): Command | undefined {
  return parts.engine.recognizeCommand(text);
}

/** The language the message is written in, else the patient's. */
function guessedLang(text: string, lang: Lang): Lang {
  return guessLanguage(text, tokenize(text)) ?? lang;
}

/**
 * Whether deciding this message needs what the conversation remembers (its treatment date, a
 * sent request, check-ins offered): only a report on how the skin is now, or a tap on "send" or on
 * a check-in button. Other messages are
 * decided without loading the conversation's state.
 */
export function needsConversationMemory(
  text: string,
  parts: Pick<DecisionParts, 'sendButtonTitles' | 'checkInAnswers'>,
): boolean {
  const normalized = normalizeText(text);
  return (
    STATUS_REPORT.test(normalized) ||
    parts.sendButtonTitles.has(normalized) ||
    parts.checkInAnswers?.has(normalized) === true
  );
}

/**
 * "It's day 5 and still peeling": a symptom with a treatment day, given now or earlier in the
 * conversation, gets day-specific guidance rather than the general answer.
 */
function dayReport(s: MessageSituation, engine: ConsultationEngine): MessageDecision | undefined {
  const normalized = normalizeText(s.text);
  const status = STATUS_REPORT.test(normalized);
  // A remembered date is only looked up for a report on how the skin is doing now.
  if (!status && !mentionsDate(s.text)) return undefined;
  if (engine.aftercare.judge(s.text, 0).length === 0) return undefined;
  // Microneedling's healing timeline says nothing of another procedure's ("IPL yesterday, brown spots today").
  if (engine.namesOtherProcedure(s.text)) return undefined;
  // A date is the treatment's only when the message says something was done or counts time since
  // ("will I be red for my wedding on Saturday?" names the wedding's day).
  const parsed =
    TREATMENT_MENTION.test(normalized) || SINCE_WORDS.test(normalized)
      ? parseTreatmentDate(s.text, s.today, s.lang)
      : ({ kind: 'none' } as const);
  if (parsed.kind !== 'date' && !status) return undefined;
  const treatmentDate = parsed.kind === 'date' ? toIso(parsed.date) : s.treatmentDate;
  return treatmentDate ? { kind: 'day-report', lang: s.lang, treatmentDate } : undefined;
}

import { TurnContext } from 'botbuilder';
import { todayIn } from '../core/aftercare/treatmentDate';
import { channelOf, messageEvent } from '../core/analytics/analyticsEvents';
import { Command } from '../core/commands/commandRecognizer';
import { AnswerReply } from '../core/consultation/consultationEngine';
import {
  decideMessage,
  DecisionParts,
  MessageDecision,
  MessageSituation,
  needsConversationMemory,
} from '../core/consultation/messageDecision';
import { Flow } from '../core/content/schemas';
import { scrubPersonalData } from '../core/privacy/scrubPersonalData';
import { Lang, LANGS } from '../core/text/language';
import { normalizeText } from '../core/text/normalize';
import { sendAftercareGuidance } from './aftercareGuidance';
import {
  askToForget,
  declineForget,
  dropForgetQuestion,
  ForgetRequest,
  forgetAwaited,
  forgetPatient,
} from './forgetMe';
import { tellWhatIsKept } from './myData';
import { answerCheckIns, checkInAnswers, stopCheckIns } from './checkIns';
import { askForPerson, leavePerson, offerPerson, personStateOf, relayRedFlag, relayToPerson } from './personHandoff';
import { countInTurn, recordHelpful } from './turnAnalytics';
import {
  languageOf,
  recordUnhelpful,
  switchLanguage,
  textOf,
  timeZoneOf,
  TurnServices,
  UserProfile,
  rememberAnswer,
} from './turnServices';

/** What is left to do once the decision's replies are sent. */
export type Execution =
  /** Nothing: a guided conversation waits where it was. */
  | { next: 'wait' }
  /** A guided conversation asks its question again. */
  | { next: 'ask-again' }
  /** The message is an answer to the guided conversation's question: the flow reads it. */
  | { next: 'flow-reads' }
  /** Every guided conversation ends (stop, start over, goodbye, forgotten). */
  | { next: 'end'; forget?: ForgetRequest }
  /** A guided conversation starts with this message. */
  | { next: 'start-flow'; flow: Flow; message: string; callback?: boolean };

/** Where the message arrived: outside any guided conversation, or inside one (with its "stopped" line). */
export interface Whereabouts {
  flow?: {
    id: Flow;
    understands: (text: string, lang: Lang) => boolean;
    stoppedKey: string;
    /** What the flow holds so far (its waiting prompt's data, unchecked), for "what do you know about me?". */
    options?: () => unknown;
  };
}

/**
 * Carries out the one decision of `decideMessage` for a message: sends the replies, keeps what
 * the conversation must remember, logs the outcome, records gaps, and says what is left to do.
 * The bot (no flow waiting) and every guided conversation use it, so a message means the same
 * wherever it arrives.
 */
export class MessageExecutor {
  constructor(private readonly services: TurnServices) {}

  /** Decides and carries out what the patient's message asks. */
  async handle(context: TurnContext, where: Whereabouts = {}): Promise<Execution> {
    const parts = this.decisionParts();
    const { situation, profile } = await this.situation(context, where, parts);
    const decision = decideMessage(situation, parts);
    countInTurn(context, this.services, messageEvent(decision, situation.lang, channelOf(context.activity.channelId)));
    // "Are you sure?" is asked once: whatever this message is, the question is gone after it (a
    // warning sign, an over-long message or a card submit leaves it waiting).
    if (profile.forgetAsked && !KEEPS_FORGET_QUESTION.has(decision.kind))
      await dropForgetQuestion(context, this.services);
    // "Twice in a row" counts fallbacks one after the other: anything answered breaks the run.
    if (profile.unanswered && !KEEPS_UNANSWERED.has(decision.kind)) {
      const current = await this.services.profile.get(context, {});
      await this.services.profile.set(context, { ...current, unanswered: undefined });
    }
    return this.execute(context, decision, situation, profile, where);
  }

  /** What the decision depends on; the conversation's memory is read only when the message could need it. */
  private async situation(
    context: TurnContext,
    where: Whereabouts,
    parts: DecisionParts,
  ): Promise<{ situation: MessageSituation; profile: UserProfile }> {
    const { services } = this;
    const profile = await services.profile.get(context, {});
    const lang = await languageOf(context, services);
    const text = textOf(context);
    const memory = needsConversationMemory(text, parts) ? await services.memory.get(context, {}) : {};
    const flow = where.flow;
    const situation: MessageSituation = {
      text,
      lang,
      maxMessageChars: services.maxMessageChars,
      today: todayIn(services.now(), timeZoneOf(context, services)),
      forgetAsked: forgetAwaited(profile, context.activity.conversation?.id ?? '', services.now()),
      flow: flow && { id: flow.id, understands: text !== '' && flow.understands(text, lang) },
      treatmentDate: memory.treatmentDate,
      bookingSent: memory.bookingSent !== undefined,
      previous: profile.lastAnswer && { faqId: profile.lastAnswer.faqId, question: profile.lastAnswer.question },
      handoff: await personStateOf(context, services, profile),
      lastUnanswered: profile.unanswered?.conversationId === context.activity.conversation?.id,
      checkIns: profile.checkInsIn !== undefined && profile.checkInsIn === context.activity.conversation?.id,
      checkInsOffered: memory.checkInsOffered !== undefined && memory.checkInsOffered === memory.treatmentDate,
    };
    return { situation, profile };
  }

  private decisionParts(): DecisionParts {
    const { services } = this;
    return {
      engine: services.engine(),
      flowReplies: services.flowReplies,
      sendButtonTitles: this.titles('flows.booking.buttons.send'),
      callbackTitles: this.titles('handoff.callbackButton'),
      checkInAnswers: checkInAnswers(services),
    };
  }

  private readonly titlesCache = new Map<string, ReadonlySet<string>>();

  /** A button's title in every language, normalised (a tap arrives as its title typed). */
  private titles(key: string): ReadonlySet<string> {
    let titles = this.titlesCache.get(key);
    if (!titles) {
      titles = new Set(LANGS.map((l) => normalizeText(this.services.replies.text(l, key))));
      this.titlesCache.set(key, titles);
    }
    return titles;
  }

  private async execute(
    context: TurnContext,
    d: MessageDecision,
    s: MessageSituation,
    profile: UserProfile,
    where: Whereabouts,
  ): Promise<Execution> {
    const { replies, log } = this.services;
    const flow = where.flow?.id;
    switch (d.kind) {
      case 'not-text':
        await context.sendActivity(
          flow ? replies.line(d.lang, 'flows.notText') : replies.simple(d.lang, 'input.notText'),
        );
        return { next: 'wait' };
      case 'red-flag': {
        const { reply } = d;
        await context.sendActivity(replies.redFlag(reply.guidance, reply.level, reply.lang));
        log.warn(
          { event: 'turn', outcome: 'red-flag', level: reply.level, signs: reply.signs.length, flow },
          'warning signs reported',
        );
        // The guidance went first; then staff see it fired, or a person is offered.
        if (s.handoff) await relayRedFlag(context, this.services, s.text, reply.guidance);
        else if (d.offerPerson) await offerPerson(context, this.services, reply.lang, 'red-flag', reply.signs);
        return { next: 'wait' };
      }
      case 'ask-person':
        return (await askForPerson(context, this.services, d.lang, s.text)) && flow
          ? { next: 'end' }
          : { next: 'wait' };
      case 'to-person':
        await relayToPerson(context, this.services, s.text, s.handoff ?? 'waiting', d.lang);
        return { next: 'wait' };
      case 'leave-person':
        await leavePerson(context, this.services, d.lang);
        return { next: 'wait' };
      case 'opt-out':
        await stopCheckIns(context, this.services, d.lang);
        return { next: 'wait' };
      case 'check-ins':
        await answerCheckIns(context, this.services, d.lang, d.answer);
        return { next: 'wait' };
      case 'too-long':
        // The flows' parsers are built for answers, not for pages: asked again before any step reads it.
        await context.sendActivity(
          flow
            ? replies.line(d.lang, 'flows.tooLong', { max: String(s.maxMessageChars) })
            : replies.simple(d.lang, 'input.tooLong'),
        );
        log.info({ event: 'turn', outcome: 'too-long', chars: d.chars, flow }, 'message too long');
        return { next: 'wait' };
      case 'forget-confirmed': {
        const forget = await forgetPatient(context, this.services, d.lang);
        return forget ? { next: 'end', forget } : { next: 'ask-again' };
      }
      case 'forget-declined':
        await declineForget(context, this.services, d.lang);
        return { next: 'ask-again' };
      case 'stop-flow':
        await context.sendActivity(replies.line(d.lang, where.flow?.stoppedKey ?? 'flows.stopped', undefined, []));
        return { next: 'end' };
      case 'flow-reads':
        return { next: 'flow-reads' };
      case 'day-report':
        await this.dayReport(context, d.treatmentDate, s.text, d.lang);
        return { next: 'wait' };
      case 'repeated-send':
        await context.sendActivity(replies.line(d.lang, 'flows.booking.alreadySent'));
        log.info({ event: 'booking', outcome: 'already-sent' }, 'repeated send answered');
        return { next: 'wait' };
      case 'command':
        // A patient who chose a language keeps it even when typing "help" in the other one.
        return where.flow
          ? this.commandInFlow(context, d.command, s.lang, where.flow)
          : this.command(context, d.command, profile.language ?? d.lang, s.lang);
      case 'answers':
        await this.answers(context, d.answers, d.notCovered, s.text, flow);
        return { next: 'ask-again' };
      case 'clarify':
        await context.sendActivity(replies.clarify(d.options, d.lang, d.notCovered));
        log.info(
          {
            event: 'turn',
            outcome: 'clarify',
            options: d.options.map((o) => o.id),
            lang: d.lang,
            notCovered: d.notCovered.length,
            flow,
          },
          'asked to clarify',
        );
        return { next: 'wait' };
      case 'fallback':
        await context.sendActivity(replies.fallback(d.lang, d.notCovered));
        log.info(
          {
            event: 'turn',
            outcome: 'fallback',
            confidence: round(d.confidence),
            lang: d.lang,
            notCovered: d.notCovered.length,
            flow,
          },
          'no answer',
        );
        this.services.gaps.record({ text: s.text, lang: d.lang, kind: 'fallback', confidence: round(d.confidence) });
        await this.rememberUnanswered(context, s.text);
        if (d.offerPerson) await offerPerson(context, this.services, d.lang, 'unanswered');
        return { next: 'ask-again' };
      case 'start-flow':
        if (d.flow === flow) return { next: 'ask-again' };
        log.info(
          { event: 'turn', outcome: 'flow', flow: d.flow, reason: d.reason, lang: d.lang },
          'guided conversation started',
        );
        return {
          next: 'start-flow',
          flow: d.flow,
          message: s.text,
          ...(d.reason === 'callback' ? { callback: true } : {}),
        };
    }
  }

  /** The message the bot could not answer, kept (scrubbed) for "twice in a row" and for staff. */
  private async rememberUnanswered(context: TurnContext, text: string): Promise<void> {
    const profile = await this.services.profile.get(context, {});
    const unanswered = { conversationId: context.activity.conversation?.id ?? '', question: scrubPersonalData(text) };
    await this.services.profile.set(context, { ...profile, unanswered });
  }

  private async answers(
    context: TurnContext,
    answers: readonly AnswerReply[],
    notCovered: readonly string[],
    text: string,
    flow?: Flow,
  ): Promise<void> {
    const { replies, log, gaps } = this.services;
    for (const [i, a] of answers.entries()) {
      // What the content does not cover is said first, before what it does ("…doesn't cover PRP").
      const body = i === 0 ? replies.afterNotCovered(a.lang, notCovered, a.text) : a.text;
      const heading = answers.length > 1 ? a.entry[a.lang].title : undefined;
      // Topic buttons offer what this turn did not already answer.
      const related = a.related.filter((r) => !answers.some((b) => b.entry.id === r.id));
      await context.sendActivity(replies.answer(body, a.entry, a.sources, related, a.lang, { heading }));
      log.info(
        {
          event: 'turn',
          outcome: 'answer',
          faqId: a.entry.id,
          confidence: round(a.confidence),
          lang: a.lang,
          parts: answers.length,
          flow,
        },
        'answered',
      );
      if (a.confidence < this.services.gapConfidenceBelow) {
        gaps.record({ text, lang: a.lang, kind: 'low-confidence', faqId: a.entry.id, confidence: round(a.confidence) });
      }
    }
    const last = answers[answers.length - 1];
    await rememberAnswer(context, this.services, {
      faqId: last.entry.id,
      text,
      lang: last.lang,
      confidence: last.confidence,
    });
  }

  private async dayReport(context: TurnContext, treatmentDate: string, text: string, lang: Lang): Promise<void> {
    const memory = await this.services.memory.get(context, {});
    if (treatmentDate !== memory.treatmentDate) await this.services.memory.set(context, { ...memory, treatmentDate });
    await sendAftercareGuidance(context, this.services, treatmentDate, text, lang);
  }

  private async command(context: TurnContext, command: Command, commandLang: Lang, userLang: Lang): Promise<Execution> {
    const { replies } = this.services;
    switch (command) {
      case 'english':
      case 'spanish':
        await switchLanguage(context, this.services, command === 'english' ? 'en' : 'es', true);
        break;
      case 'help':
      case 'restart':
      case 'greeting':
      case 'identity':
        await context.sendActivity(replies.simple(commandLang, `${command}.text`, true));
        break;
      case 'thanks':
      case 'goodbye':
        await context.sendActivity(replies.simple(commandLang, `${command}.text`));
        break;
      case 'helpful':
        await recordHelpful(context, this.services);
        await context.sendActivity(replies.simple(commandLang, 'feedback.thanks'));
        break;
      case 'unhelpful':
        await recordUnhelpful(context, this.services);
        await context.sendActivity(replies.simple(commandLang, 'feedback.sorry', true));
        break;
      case 'forget':
        await askToForget(context, this.services, commandLang);
        break;
      case 'myData':
        await tellWhatIsKept(context, this.services, commandLang);
        break;
      case 'optOut':
        await context.sendActivity(replies.simple(commandLang, 'optOut.nothing'));
        break;
      case 'none':
        await context.sendActivity(replies.fallback(userLang));
        break;
    }
    return { next: 'wait' };
  }

  /** Commands inside a guided conversation: most come back to the question the flow was asking. */
  private async commandInFlow(
    context: TurnContext,
    command: Command,
    lang: Lang,
    flow: NonNullable<Whereabouts['flow']>,
  ): Promise<Execution> {
    const { replies } = this.services;
    switch (command) {
      case 'restart':
        await context.sendActivity(replies.simple(lang, 'restart.text', true));
        return { next: 'end' };
      case 'goodbye':
        await context.sendActivity(replies.simple(lang, 'goodbye.text'));
        return { next: 'end' };
      case 'english':
      case 'spanish':
        await switchLanguage(context, this.services, command === 'english' ? 'en' : 'es', false);
        return { next: 'ask-again' };
      case 'help':
        await context.sendActivity(replies.line(lang, 'flows.inFlowHelp'));
        return { next: 'ask-again' };
      case 'forget':
        // The flow waits where it was: a no goes back to it, a yes ends it with everything else.
        await askToForget(context, this.services, lang);
        return { next: 'wait' };
      case 'thanks':
      case 'identity':
        await context.sendActivity(replies.simple(lang, `${command}.text`));
        return { next: 'ask-again' };
      case 'myData':
        // Answered like a question asked mid-flow: the flow then asks its question again.
        await tellWhatIsKept(context, this.services, lang, { id: flow.id, options: flow.options?.() });
        return { next: 'ask-again' };
      default:
        return { next: 'ask-again' };
    }
  }
}

const KEEPS_FORGET_QUESTION: ReadonlySet<MessageDecision['kind']> = new Set(['not-text', 'red-flag', 'too-long']);
const KEEPS_UNANSWERED: ReadonlySet<MessageDecision['kind']> = new Set(['fallback', 'not-text', 'too-long']);

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

import { TurnContext } from 'botbuilder';
import { mentionsDate, toIso } from '../core/aftercare/treatmentDate';
import { Flow } from '../core/content/schemas';
import { scrubPersonalData } from '../core/privacy/scrubPersonalData';
import { normalizeText } from '../core/text/normalize';
import { Lang } from '../core/text/language';
import { AFTERCARE_DIALOG, sendAftercareGuidance, treatmentDateFrom } from './aftercareDialog';
import { answerRepeatedSend, BOOKING_DIALOG } from './bookingDialog';
import { answerForget, askToForget } from './forgetMe';
import { SCREENING_DIALOG } from './screeningDialog';
import { languageOf, recordUnhelpful, switchLanguage, textOf, TurnServices } from './turnServices';
import { WALKTHROUGH_DIALOG } from './walkthroughDialog';

/** Words of a patient telling how their skin is doing now ("still peeling", "sigo roja"). */
const STATUS_REPORT = /\b(still|now|today|normal|anymore|sigo|sigue|siguen|todavia|aun|ahora|hoy|normal)\b/;

export const FLOW_DIALOGS: Record<Flow, string> = {
  screening: SCREENING_DIALOG,
  walkthrough: WALKTHROUGH_DIALOG,
  aftercare: AFTERCARE_DIALOG,
  booking: BOOKING_DIALOG,
};

/**
 * Answers a message that no multi-turn flow is waiting for: warning signs first, then
 * conversation commands, then the FAQ. Single-turn, so it keeps no dialog state.
 */
export class QuestionRouter {
  constructor(private readonly services: TurnServices) {}

  /** Answers the message; `startFlow` begins a guided conversation when the message asks for one. */
  async handle(context: TurnContext, startFlow: (dialogId: string, options: object) => Promise<unknown>): Promise<void> {
    const profile = await this.services.profile.get(context, {});
    const userLang = await languageOf(context, this.services);
    const text = textOf(context);
    const { replies, log } = this.services;
    const engine = this.services.engine();

    if (text === '') {
      await context.sendActivity(replies.simple(userLang, 'input.notText'));
      return;
    }
    const flagged = engine.checkRedFlags(text, userLang);
    if (text.length > this.services.maxMessageChars) {
      // Warning signs are still honoured in an over-long message; anything else is asked again.
      await context.sendActivity(
        flagged ? replies.redFlag(flagged.guidance, flagged.level, flagged.lang) : replies.simple(userLang, 'input.tooLong'),
      );
      log.info({ event: 'turn', outcome: flagged ? 'red-flag' : 'too-long', chars: text.length }, 'message handled');
      return;
    }

    if (!flagged && (await answerForget(context, this.services, text, userLang))) return;
    if (!flagged && (await this.dayReport(context, text, userLang))) return;
    if (!flagged && (await answerRepeatedSend(context, this.services, text, userLang))) return;

    const reply = flagged ?? engine.answerQuestion(text, userLang);
    // A message with a treatment date that nothing else answers is about aftercare ("had it done on 1 Dec").
    if (reply.kind === 'fallback' && treatmentDateFrom(context, this.services, text, reply.lang).kind !== 'none') {
      await startFlow(AFTERCARE_DIALOG, { message: text });
      return;
    }
    switch (reply.kind) {
      case 'red-flag':
        await context.sendActivity(replies.redFlag(reply.guidance, reply.level, reply.lang));
        log.warn({ event: 'turn', outcome: 'red-flag', level: reply.level, signs: reply.signs.length }, 'warning signs reported');
        break;
      case 'answer': {
        await context.sendActivity(replies.answer(reply.text, reply.entry, reply.sources, reply.related, reply.lang));
        log.info({ event: 'turn', outcome: 'answer', faqId: reply.entry.id, confidence: round(reply.confidence), lang: reply.lang }, 'answered');
        if (profile.lastAnswer?.faqId !== reply.entry.id || profile.lastAnswer.question !== text) {
          const lastAnswer = { faqId: reply.entry.id, question: scrubPersonalData(text), lang: reply.lang, confidence: reply.confidence };
          await this.services.profile.set(context, { ...profile, lastAnswer });
        }
        if (reply.confidence < this.services.gapConfidenceBelow) {
          this.services.gaps.record({ text, lang: reply.lang, kind: 'low-confidence', faqId: reply.entry.id, confidence: round(reply.confidence) });
        }
        break;
      }
      case 'clarify':
        await context.sendActivity(replies.clarify(reply.options, reply.lang));
        log.info({ event: 'turn', outcome: 'clarify', options: reply.options.map((o) => o.id), lang: reply.lang }, 'asked to clarify');
        break;
      case 'fallback':
        await context.sendActivity(replies.fallback(reply.lang));
        log.info({ event: 'turn', outcome: 'fallback', confidence: round(reply.confidence), lang: reply.lang }, 'no answer');
        this.services.gaps.record({ text, lang: reply.lang, kind: 'fallback', confidence: round(reply.confidence) });
        break;
      case 'flow':
        log.info({ event: 'turn', outcome: 'flow', flow: reply.flow, lang: reply.lang }, 'guided conversation started');
        await startFlow(FLOW_DIALOGS[reply.flow], { message: text });
        break;
      case 'command':
        // A patient who chose a language keeps it even when typing "help" in the other one.
        await this.runCommand(context, reply.command, profile.language ?? reply.lang, userLang);
        break;
    }
  }

  /**
   * "It's day 5 and still peeling": a symptom with a treatment day, given now or earlier in the
   * conversation, gets day-specific guidance rather than the general answer.
   */
  private async dayReport(context: TurnContext, text: string, lang: Lang): Promise<boolean> {
    const normalized = normalizeText(text);
    const hasDate = mentionsDate(text);
    // A remembered date is only looked up for a report on how the skin is doing now.
    if (!hasDate && !STATUS_REPORT.test(normalized)) return false;
    if (this.services.engine().aftercare.judge(text, 0).length === 0) return false;
    const parsed = treatmentDateFrom(context, this.services, text, lang);
    if (parsed.kind !== 'date' && !STATUS_REPORT.test(normalized)) return false;
    const memory = await this.services.memory.get(context, {});
    const treatmentDate = parsed.kind === 'date' ? toIso(parsed.date) : memory.treatmentDate;
    if (!treatmentDate) return false;
    if (treatmentDate !== memory.treatmentDate) await this.services.memory.set(context, { ...memory, treatmentDate });
    await sendAftercareGuidance(context, this.services, treatmentDate, text, lang);
    return true;
  }

  private async runCommand(context: TurnContext, command: string, commandLang: Lang, userLang: Lang): Promise<void> {
    const { replies } = this.services;
    switch (command) {
      case 'english':
      case 'spanish':
        await switchLanguage(context, this.services, command === 'english' ? 'en' : 'es', true);
        return;
      case 'help':
        await context.sendActivity(replies.simple(commandLang, 'help.text', true));
        return;
      case 'restart':
        await context.sendActivity(replies.simple(commandLang, 'restart.text', true));
        return;
      case 'greeting':
        await context.sendActivity(replies.simple(commandLang, 'greeting.text', true));
        return;
      case 'thanks':
        await context.sendActivity(replies.simple(commandLang, 'thanks.text'));
        return;
      case 'helpful':
        await context.sendActivity(replies.simple(commandLang, 'feedback.thanks'));
        return;
      case 'unhelpful':
        await recordUnhelpful(context, this.services);
        await context.sendActivity(replies.simple(commandLang, 'feedback.sorry', true));
        return;
      case 'goodbye':
        await context.sendActivity(replies.simple(commandLang, 'goodbye.text'));
        return;
      case 'forget':
        await askToForget(context, this.services, commandLang);
        return;
      default:
        await context.sendActivity(replies.fallback(userLang));
    }
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

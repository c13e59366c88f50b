import { ComponentDialog, Dialog, DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { Flow } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { answerForget, askToForget } from './forgetMe';
import { languageOf, switchLanguage, TurnServices, textOf } from './turnServices';

/** Turn-state key under which a flow asks the bot to start another flow once it has ended. */
export const NEXT_FLOW = 'clinicBot.nextFlow';

/**
 * Base of every guided conversation. Before a flow sees a message, it handles what must work
 * everywhere: warning signs (urgent guidance at once, the flow waits), stop / start over, help,
 * a language switch, "forget me", and questions asked mid-flow (answered, then the flow asks again).
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  constructor(
    id: string,
    readonly flow: Flow,
    protected readonly services: TurnServices,
  ) {
    super(id);
  }

  /** True when the flow itself understands this message (a yes/no, a date…), so it is not treated as a question. */
  protected abstract understands(text: string, lang: Lang, innerDc: DialogContext): boolean;

  /** Asks the current question again, in the patient's (possibly new) language. */
  protected abstract askAgain(innerDc: DialogContext): Promise<DialogTurnResult>;

  /** The locale key of what the patient reads after "stop" / "cancel". */
  protected stoppedKey(): string {
    return 'flows.stopped';
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = innerDc;
    const text = textOf(context);
    const { replies, log, maxMessageChars } = this.services;
    const engine = this.services.engine();
    const lang = await languageOf(context, this.services);
    // A card submit, an attachment or a non-string text: the question stays open.
    if (text === '') {
      await context.sendActivity(replies.line(lang, 'flows.notText'));
      return Dialog.EndOfTurn;
    }

    const flagged = engine.checkRedFlags(text, lang);
    if (flagged) {
      await context.sendActivity(replies.redFlag(flagged.guidance, flagged.level, flagged.lang));
      log.warn({ event: 'turn', outcome: 'red-flag', level: flagged.level, flow: this.flow }, 'warning signs reported mid-flow');
      return Dialog.EndOfTurn;
    }
    // Refused before any step reads it: the flows' parsers are built for answers, not for pages.
    if (text.length > maxMessageChars) {
      await context.sendActivity(replies.line(lang, 'flows.tooLong', { max: String(maxMessageChars) }));
      log.info({ event: 'turn', outcome: 'too-long', chars: text.length, flow: this.flow }, 'message too long mid-flow');
      return Dialog.EndOfTurn;
    }
    // The answer to "forget me? are you sure?" comes before anything the flow would make of a yes or no.
    const forget = await answerForget(context, this.services, text, lang);
    if (forget === 'forgotten') return innerDc.cancelAllDialogs();
    if (forget === 'kept') return this.askAgain(innerDc);
    const reply = this.services.flowReplies.recognize(text);
    if (reply?.command === 'stop') {
      await context.sendActivity(replies.line(lang, this.stoppedKey(), undefined, []));
      return innerDc.cancelAllDialogs();
    }
    if (reply || this.understands(text, lang, innerDc)) return undefined;

    const answer = engine.answerQuestion(text, lang);
    switch (answer.kind) {
      case 'command':
        return this.command(innerDc, answer.command, lang);
      case 'answer':
        await context.sendActivity(replies.answer(answer.text, answer.entry, answer.sources, answer.related, answer.lang));
        log.info({ event: 'turn', outcome: 'answer', faqId: answer.entry.id, flow: this.flow }, 'answered mid-flow');
        return this.askAgain(innerDc);
      case 'clarify':
        await context.sendActivity(replies.clarify(answer.options, answer.lang));
        return Dialog.EndOfTurn;
      case 'flow':
        if (answer.flow === this.flow) return this.askAgain(innerDc);
        context.turnState.set(NEXT_FLOW, answer.flow);
        return innerDc.cancelAllDialogs();
      case 'fallback':
        // A question nobody curated gets the honest fallback; anything else is the flow's to read.
        if (!/\?\s*$|^\s*¿/.test(text)) return undefined;
        await context.sendActivity(replies.fallback(answer.lang));
        this.services.gaps.record({ text, lang: answer.lang, kind: 'fallback', confidence: answer.confidence });
        return this.askAgain(innerDc);
      default:
        return undefined;
    }
  }

  private async command(innerDc: DialogContext, command: string, lang: Lang): Promise<DialogTurnResult> {
    const { context } = innerDc;
    const { replies } = this.services;
    switch (command) {
      case 'restart':
        await context.sendActivity(replies.simple(lang, 'restart.text', true));
        return innerDc.cancelAllDialogs();
      case 'goodbye':
        await context.sendActivity(replies.simple(lang, 'goodbye.text'));
        return innerDc.cancelAllDialogs();
      case 'english':
      case 'spanish':
        await switchLanguage(context, this.services, command === 'english' ? 'en' : 'es', false);
        return this.askAgain(innerDc);
      case 'help':
        await context.sendActivity(replies.line(lang, 'flows.inFlowHelp'));
        return this.askAgain(innerDc);
      case 'forget':
        // The flow waits where it was: a no goes back to it, a yes ends it with everything else.
        await askToForget(context, this.services, lang);
        return Dialog.EndOfTurn;
      case 'thanks':
        await context.sendActivity(replies.simple(lang, 'thanks.text'));
        return this.askAgain(innerDc);
      default:
        return this.askAgain(innerDc);
    }
  }
}

import { ComponentDialog, Dialog, DialogContext, DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import { Flow } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { FlowEnd } from './flowDialogs';
import { FlowPrompt } from './flowPrompt';
import { MessageExecutor } from './messageExecutor';
import { TurnServices } from './turnServices';

/**
 * Base of every guided conversation. Before a flow sees a message, the one message decision
 * (`decideMessage`, carried out by `MessageExecutor`) handles what must work everywhere: warning
 * signs (urgent guidance at once, the flow waits), stop / start over, help, a language switch,
 * "forget me", and questions asked mid-flow (answered, then the flow asks again).
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  private readonly executor: MessageExecutor;

  constructor(
    id: string,
    readonly flow: Flow,
    protected readonly services: TurnServices,
  ) {
    super(id);
    this.executor = new MessageExecutor(services);
  }

  /**
   * True when the flow itself understands this message (a yes/no, a date…), so it is not treated
   * as a question: by default, when the question being asked reads it as an answer (a command such
   * as "help" or "español" never is one).
   */
  protected understands(text: string, lang: Lang, innerDc: DialogContext): boolean {
    if (this.services.engine().recognizeCommand(text)) return false;
    return this.questionAsked(innerDc)?.understands(text, lang, innerDc.context) ?? false;
  }

  /** Asks the current question again, in the patient's (possibly new) language: by default, its prompt asks again. */
  protected async askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  /** What the flow has gathered so far, unchecked: what the question being asked was asked with. */
  protected progress(innerDc: DialogContext): unknown {
    const instance = innerDc.activeDialog;
    return instance && this.questionAsked(innerDc)?.dataOf(instance);
  }

  /** The prompt waiting for the patient's answer, when the flow is waiting at one. */
  private questionAsked(innerDc: DialogContext): FlowPrompt<unknown, object> | undefined {
    const id = innerDc.activeDialog?.id;
    const dialog = id === undefined ? undefined : this.findDialog(id);
    return dialog instanceof FlowPrompt ? dialog : undefined;
  }

  /** The locale key of what the patient reads after "stop" / "cancel". */
  protected stoppedKey(): string {
    return 'flows.stopped';
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const execution = await this.executor.handle(innerDc.context, {
      flow: {
        id: this.flow,
        understands: (text, lang) => this.understands(text, lang, innerDc),
        stoppedKey: this.stoppedKey(),
        options: () => this.progress(innerDc),
      },
    });
    switch (execution.next) {
      case 'flow-reads':
        return super.onContinueDialog(innerDc);
      case 'wait':
        return Dialog.EndOfTurn;
      case 'ask-again':
        return this.askAgain(innerDc);
      case 'end':
        await innerDc.cancelAllDialogs();
        return ended({ kind: 'flow-end', forget: execution.forget });
      case 'start-flow':
        await innerDc.cancelAllDialogs();
        return ended({ kind: 'flow-end', next: { flow: execution.flow, message: execution.message } });
    }
  }
}

/** Ends the flow with a result the bot reads (the component ends on any status but waiting). */
function ended(result: FlowEnd): DialogTurnResult<FlowEnd> {
  return { status: DialogTurnStatus.complete, result };
}

import { Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { toIso } from '../core/aftercare/treatmentDate';
import { sendAftercareGuidance, treatmentDateFrom } from './aftercareGuidance';
import { Lang } from '../core/text/language';
import { InterruptibleDialog } from './interruptibleDialog';
import { languageOf, textOf, TurnServices } from './turnServices';

export const AFTERCARE_DIALOG = 'aftercareDialog';
const AFTERCARE_WATERFALL = 'aftercareWaterfall';

const AftercareOptionsSchema = z.object({ message: z.string().default('') });

/** Aftercare by treatment day: asks when the treatment was (unless known), remembers it, and guides. */
export class AftercareDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(AFTERCARE_DIALOG, 'aftercare', services);
    this.addDialog(new WaterfallDialog(AFTERCARE_WATERFALL, [this.askDateStep.bind(this), this.guideStep.bind(this)]));
    this.initialDialogId = AFTERCARE_WATERFALL;
  }

  protected understands(text: string, lang: Lang, innerDc: DialogContext): boolean {
    return treatmentDateFrom(innerDc.context, this.services, text, lang).kind !== 'none';
  }

  protected askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.replaceDialog(AFTERCARE_WATERFALL, {});
  }

  private async askDateStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { message } = AftercareOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    // A date in the message that started the flow ("I had it done 3 days ago") wins over a remembered one.
    const given = message ? treatmentDateFrom(step.context, this.services, message, lang) : { kind: 'none' as const };
    if (given.kind !== 'none' || memory.treatmentDate) return step.next(message);
    await step.context.sendActivity(this.services.replies.line(lang, 'flows.aftercare.askDate'));
    return Dialog.EndOfTurn;
  }

  private async guideStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = await languageOf(step.context, this.services);
    const { replies } = this.services;
    const text = typeof step.result === 'string' ? step.result : textOf(step.context);
    const memory = await this.services.memory.get(step.context, {});
    const parsed = treatmentDateFrom(step.context, this.services, text, lang);
    if (parsed.kind === 'future') {
      await step.context.sendActivity(replies.line(lang, 'flows.aftercare.future'));
      return step.endDialog();
    }
    if (parsed.kind === 'none' && !memory.treatmentDate) {
      await step.context.sendActivity(replies.line(lang, 'flows.aftercare.notUnderstood'));
      return step.replaceDialog(AFTERCARE_WATERFALL, {});
    }
    const treatmentDate = parsed.kind === 'date' ? toIso(parsed.date) : (memory.treatmentDate ?? '');
    await this.services.memory.set(step.context, { ...memory, treatmentDate });
    await sendAftercareGuidance(step.context, this.services, treatmentDate, text, lang);
    return step.endDialog();
  }
}

import { Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { toIso } from '../core/aftercare/treatmentDate';
import { sendAftercareGuidance, treatmentDateFrom } from './aftercareGuidance';
import { Lang } from '../core/text/language';
import { InterruptibleDialog } from './interruptibleDialog';
import { isButtonLabel, languageOf, textOf, TurnServices } from './turnServices';

export const AFTERCARE_DIALOG = 'aftercareDialog';
const AFTERCARE_WATERFALL = 'aftercareWaterfall';

const AftercareOptionsSchema = z.object({
  message: z.string().default(''),
  /** Dates not understood in a row: the second re-ask offers the general advice, a third gives it. */
  misses: z.number().int().min(0).default(0),
});

const MAX_MISSES = 2;
/** The entry with the general aftercare advice, for a patient who can't say when the treatment was. */
const GENERAL_AFTERCARE = 'aftercare-overview';

/** Aftercare by treatment day: asks when the treatment was (unless known), remembers it, and guides. */
export class AftercareDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(AFTERCARE_DIALOG, 'aftercare', services);
    this.addDialog(new WaterfallDialog(AFTERCARE_WATERFALL, [this.askDateStep.bind(this), this.guideStep.bind(this)]));
    this.initialDialogId = AFTERCARE_WATERFALL;
  }

  protected understands(text: string, lang: Lang, innerDc: DialogContext): boolean {
    return (
      this.isGeneralButton(text, lang) || treatmentDateFrom(innerDc.context, this.services, text, lang).kind !== 'none'
    );
  }

  protected askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { misses } = AftercareOptionsSchema.parse(this.currentOptions(innerDc) ?? {});
    return innerDc.replaceDialog(AFTERCARE_WATERFALL, { misses });
  }

  private isGeneralButton(text: string, lang: Lang): boolean {
    return isButtonLabel(this.services, text, lang, 'flows.aftercare.buttons.general');
  }

  private async askDateStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { message, misses } = AftercareOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    // A date in the message that started the flow ("I had it done 3 days ago") wins over a remembered one.
    const given = message ? treatmentDateFrom(step.context, this.services, message, lang) : { kind: 'none' as const };
    if (given.kind !== 'none' || memory.treatmentDate) return step.next(message);
    // After a re-ask the question was just asked, with its example: it is not sent twice.
    if (misses === 0) await step.context.sendActivity(this.services.replies.line(lang, 'flows.aftercare.askDate'));
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
      const { misses } = AftercareOptionsSchema.parse(step.options ?? {});
      if (misses >= MAX_MISSES || this.isGeneralButton(text, lang)) return this.generalAdvice(step, lang);
      const again = misses === 1;
      await step.context.sendActivity(
        replies.line(
          lang,
          again ? 'flows.aftercare.notUnderstoodAgain' : 'flows.aftercare.notUnderstood',
          undefined,
          again ? replies.labelButtons(lang, ['flows.aftercare.buttons.general', 'buttons.stop']) : [],
        ),
      );
      return step.replaceDialog(AFTERCARE_WATERFALL, { misses: misses + 1 });
    }
    const treatmentDate = parsed.kind === 'date' ? toIso(parsed.date) : (memory.treatmentDate ?? '');
    await this.services.memory.set(step.context, { ...memory, treatmentDate });
    await sendAftercareGuidance(step.context, this.services, treatmentDate, text, lang);
    return step.endDialog();
  }

  /** Without a date: the general aftercare advice, and how to get day-by-day guidance later. */
  private async generalAdvice(step: WaterfallStepContext, lang: Lang): Promise<DialogTurnResult> {
    const engine = this.services.engine();
    const entry = engine.content.faqById.get(GENERAL_AFTERCARE);
    const { replies } = this.services;
    if (entry) {
      const answer = engine.answer(entry, lang, 1);
      await step.context.sendActivity(replies.answer(answer.text, entry, answer.sources, answer.related, lang));
    }
    await step.context.sendActivity(replies.line(lang, 'flows.aftercare.withoutDate'));
    return step.endDialog();
  }
}

import { DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { toIso } from '../core/aftercare/treatmentDate';
import { sendAftercareGuidance, treatmentDateFrom } from './aftercareGuidance';
import { Lang } from '../core/text/language';
import { FlowPrompt, MAX_MISSES, Question } from './flowPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { isButtonLabel, languageOf, textOf, TurnServices } from './turnServices';

export const AFTERCARE_DIALOG = 'aftercareDialog';
const AFTERCARE_WATERFALL = 'aftercareWaterfall';
const DATE_PROMPT = 'aftercareDatePrompt';

/** The options the flow starts with: the message that started it, which may already give the date. */
const AftercareOptionsSchema = z.object({ message: z.string().default('') });
type AftercareOptions = z.infer<typeof AftercareOptionsSchema>;

/** The date question is asked with nothing: what it needs is the patient's reply and time zone. */
const DateQuestionDataSchema = z.object({});

/** What the date question ends with: a reply that reads as a date (past or still to come), or the general advice. */
const DateReplySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), text: z.string() }),
  z.object({ kind: z.literal('general') }),
]);
type DateReply = z.infer<typeof DateReplySchema>;

/** The entry with the general aftercare advice, for a patient who can't say when the treatment was. */
const GENERAL_AFTERCARE = 'aftercare-overview';

/** Aftercare by treatment day: asks when the treatment was (unless known), remembers it, and guides. */
export class AftercareDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(AFTERCARE_DIALOG, 'aftercare', services);
    this.addDialog(new FlowPrompt(DATE_PROMPT, this.dateQuestion()));
    this.addDialog(
      new WaterfallDialog<AftercareOptions>(AFTERCARE_WATERFALL, [
        this.askDateStep.bind(this),
        this.guideStep.bind(this),
      ]),
    );
    this.initialDialogId = AFTERCARE_WATERFALL;
  }

  protected override onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    return super.onBeginDialog(innerDc, AftercareOptionsSchema.parse(options ?? {}));
  }

  private isGeneralButton(text: string, lang: Lang): boolean {
    return isButtonLabel(this.services, text, lang, 'flows.aftercare.buttons.general');
  }

  /**
   * "When was your treatment?": a date (read in the patient's time zone) or "General aftercare" answers it; the
   * second re-ask offers the general advice, and a third reply not understood gives it.
   */
  private dateQuestion(): Question<DateReply, z.infer<typeof DateQuestionDataSchema>> {
    const { replies } = this.services;
    return {
      data: DateQuestionDataSchema,
      maxMisses: MAX_MISSES,
      understands: (text, lang, context) =>
        this.isGeneralButton(text, lang) || treatmentDateFrom(context, this.services, text, lang).kind !== 'none',
      ask: async (context) => {
        const lang = await languageOf(context, this.services);
        await context.sendActivity(replies.line(lang, 'flows.aftercare.askDate'));
      },
      read: async (context) => {
        const lang = await languageOf(context, this.services);
        const text = textOf(context);
        if (treatmentDateFrom(context, this.services, text, lang).kind !== 'none')
          return { kind: 'answer', value: { kind: 'date', text } };
        if (this.isGeneralButton(text, lang)) return { kind: 'answer', value: { kind: 'general' } };
        return { kind: 'miss' };
      },
      // The re-asks carry the question and its example: the question is not sent again after them.
      reask: async (context, _data, misses) => {
        const lang = await languageOf(context, this.services);
        const again = misses > 1;
        await context.sendActivity(
          replies.line(
            lang,
            again ? 'flows.aftercare.notUnderstoodAgain' : 'flows.aftercare.notUnderstood',
            undefined,
            again ? replies.labelButtons(lang, ['flows.aftercare.buttons.general', 'buttons.stop']) : [],
          ),
        );
      },
      moveOn: () => Promise.resolve({ kind: 'general' }),
    };
  }

  private async askDateStep(step: WaterfallStepContext<AftercareOptions>): Promise<DialogTurnResult> {
    const { message } = step.options;
    const lang = await languageOf(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    // A date in the message that started the flow ("I had it done 3 days ago") wins over a remembered one.
    const given = message ? treatmentDateFrom(step.context, this.services, message, lang) : { kind: 'none' as const };
    if (given.kind !== 'none' || memory.treatmentDate) {
      const reply: DateReply = { kind: 'date', text: message };
      return step.next(reply);
    }
    return step.prompt(DATE_PROMPT, FlowPrompt.with({}));
  }

  private async guideStep(step: WaterfallStepContext<AftercareOptions>): Promise<DialogTurnResult> {
    const reply = DateReplySchema.parse(step.result);
    const lang = await languageOf(step.context, this.services);
    if (reply.kind === 'general') return this.generalAdvice(step, lang);
    const { text } = reply;
    const memory = await this.services.memory.get(step.context, {});
    const parsed = treatmentDateFrom(step.context, this.services, text, lang);
    if (parsed.kind === 'future') {
      await step.context.sendActivity(this.services.replies.line(lang, 'flows.aftercare.future'));
      return step.endDialog();
    }
    const treatmentDate = parsed.kind === 'date' ? toIso(parsed.date) : memory.treatmentDate;
    // Only a date read from the patient or remembered reaches this step.
    if (!treatmentDate) return this.generalAdvice(step, lang);
    await this.services.memory.set(step.context, { ...memory, treatmentDate });
    await sendAftercareGuidance(step.context, this.services, treatmentDate, text, lang);
    return step.endDialog();
  }

  /** Without a date: the general aftercare advice, and how to get day-by-day guidance later. */
  private async generalAdvice(step: WaterfallStepContext<AftercareOptions>, lang: Lang): Promise<DialogTurnResult> {
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

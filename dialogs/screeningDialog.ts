import { Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { ScreeningQuestion } from '../core/content/schemas';
import { ScreeningAnswer, screeningOutcome } from '../core/screening/screeningRules';
import { Lang } from '../core/text/language';
import { FlowEnd } from './flowDialogs';
import { InterruptibleDialog } from './interruptibleDialog';
import { languageOf, textOf, TurnServices } from './turnServices';

export const SCREENING_DIALOG = 'screeningDialog';
const SCREENING_WATERFALL = 'screeningWaterfall';

const ScreeningOptionsSchema = z.object({
  index: z.number().int().min(0).default(0),
  answers: z.record(z.string(), z.enum(['yes', 'no', 'unsure', 'skip'])).default({}),
  stage: z.enum(['questions', 'consent', 'book']).default('questions'),
  /** Replies not understood in a row at this question: the second re-ask offers a way out, the third moves on. */
  misses: z.number().int().min(0).default(0),
});
type ScreeningOptions = z.infer<typeof ScreeningOptionsSchema>;

/** Replies not understood at one question before the screening moves on without an answer. */
const MAX_MISSES = 2;

/**
 * Candidate screening: one yes/no question at a time from content/screening.yaml, with "why?",
 * back, skip and stop; then the outcome and the reasons; then, each on its own, consent before
 * keeping the answers and whether to request a consultation.
 */
export class ScreeningDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(SCREENING_DIALOG, 'screening', services);
    this.addDialog(new WaterfallDialog(SCREENING_WATERFALL, [this.askStep.bind(this), this.handleStep.bind(this)]));
    this.initialDialogId = SCREENING_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    const lang = await languageOf(innerDc.context, this.services);
    await innerDc.context.sendActivity(
      this.services.replies.line(lang, 'flows.screening.intro', { count: String(this.questions().length) }),
    );
    return super.onBeginDialog(innerDc, options);
  }

  protected understands(): boolean {
    return false;
  }

  protected askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.replaceDialog(SCREENING_WATERFALL, ScreeningOptionsSchema.parse(this.currentOptions(innerDc) ?? {}));
  }

  private questions(): readonly ScreeningQuestion[] {
    return this.services.engine().content.screening.questions;
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = ScreeningOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const { replies } = this.services;
    const questions = this.questions();
    if (options.stage === 'consent') {
      await step.context.sendActivity(
        replies.line(lang, 'flows.screening.consent', undefined, replies.replyButtons(lang, ['yes', 'no'])),
      );
      return Dialog.EndOfTurn;
    }
    if (options.stage === 'book') {
      await step.context.sendActivity(
        replies.line(lang, 'flows.screening.bookAsk', undefined, [
          replies.bookButton(lang),
          ...replies.labelButtons(lang, ['buttons.noThanks']),
        ]),
      );
      return Dialog.EndOfTurn;
    }
    const q = questions[options.index];
    const text = replies.text(lang, 'flows.screening.progress', {
      n: String(options.index + 1),
      total: String(questions.length),
      question: q[lang].question,
    });
    const kinds =
      options.index > 0
        ? (['yes', 'no', 'unsure', 'why', 'back', 'skip'] as const)
        : (['yes', 'no', 'unsure', 'why', 'skip'] as const);
    await step.context.sendActivity(replies.prompt(text, lang, replies.replyButtons(lang, kinds)));
    return Dialog.EndOfTurn;
  }

  private async handleStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = ScreeningOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const reply = this.services.flowReplies.recognize(textOf(step.context))?.command;
    if (options.stage === 'consent') return this.consent(step, options, reply, lang);
    if (options.stage === 'book') return this.book(step, options, reply, lang);

    const questions = this.questions();
    const q = questions[options.index];
    switch (reply) {
      case 'yes':
      case 'no':
      case 'unsure':
      case 'skip':
        options.answers[q.id] = reply;
        options.index += 1;
        options.misses = 0;
        break;
      case 'why':
        await step.context.sendActivity(this.services.replies.prompt(q[lang].why, lang));
        break;
      case 'back':
        options.index = Math.max(0, options.index - 1);
        options.misses = 0;
        delete options.answers[questions[options.index].id];
        break;
      default:
        options.misses += 1;
        if (options.misses > MAX_MISSES) {
          // Asked twice already: the question is left for the clinician rather than asked a third time.
          await step.context.sendActivity(this.services.replies.line(lang, 'flows.screening.leftForClinician'));
          options.answers[q.id] = 'skip';
          options.index += 1;
          options.misses = 0;
        } else {
          await step.context.sendActivity(
            this.services.replies.line(
              lang,
              options.misses === 1 ? 'flows.screening.notUnderstood' : 'flows.screening.notUnderstoodAgain',
            ),
          );
        }
    }
    if (options.index >= questions.length) {
      await this.sendOutcome(step, options.answers, lang);
      options.stage = 'consent';
    }
    return step.replaceDialog(SCREENING_WATERFALL, options);
  }

  private async sendOutcome(
    step: WaterfallStepContext,
    answers: Record<string, ScreeningAnswer>,
    lang: Lang,
  ): Promise<void> {
    const { replies } = this.services;
    const content = this.services.engine().content;
    const outcome = screeningOutcome(content.screening.questions, answers);
    const lines = [content.screening.outcomes[outcome.kind][lang]];
    if (outcome.reviewFor.length > 0) {
      lines.push(
        replies.text(lang, 'flows.screening.reviewList', {
          reasons: outcome.reviewFor.map((q) => q[lang].reason).join('; '),
        }),
      );
    }
    if (outcome.deferFor.length > 0) {
      lines.push(
        replies.text(lang, 'flows.screening.deferList', {
          reasons: outcome.deferFor.map((q) => q[lang].reason).join('; '),
        }),
      );
      const when = outcome.deferFor.flatMap((q) => q[lang].comeBack ?? []);
      if (when.length > 0) lines.push(replies.text(lang, 'flows.screening.comeBack', { when: when.join('; ') }));
    }
    const facts = content.screening.questions.map((q) => ({
      title: q[lang].reason,
      value: replies.text(lang, `flows.screening.answer_${answers[q.id] ?? 'skip'}`),
    }));
    await step.context.sendActivity(
      replies.summary(
        replies.text(lang, 'flows.screening.summaryTitle'),
        lines.join('\n\n'),
        facts,
        lang,
        step.context.activity.channelId,
        [],
      ),
    );
    this.services.log.info(
      {
        event: 'screening',
        outcome: outcome.kind,
        review: outcome.reviewFor.map((q) => q.id),
        defer: outcome.deferFor.map((q) => q.id),
      },
      'screening finished',
    );
  }

  private async consent(
    step: WaterfallStepContext,
    options: ScreeningOptions,
    reply: string | undefined,
    lang: Lang,
  ): Promise<DialogTurnResult> {
    const { replies } = this.services;
    if (reply !== 'yes' && reply !== 'no') {
      options.misses += 1;
      // Nothing is kept without a clear yes: after two re-asks, the answers are not kept.
      if (options.misses <= MAX_MISSES) {
        await step.context.sendActivity(
          replies.line(lang, options.misses === 1 ? 'flows.screening.yesOrNo' : 'flows.screening.yesOrNoAgain'),
        );
        return step.replaceDialog(SCREENING_WATERFALL, options);
      }
    }
    const memory = await this.services.memory.get(step.context, {});
    if (reply === 'yes') {
      const outcome = screeningOutcome(this.questions(), options.answers).kind;
      await this.services.memory.set(step.context, {
        ...memory,
        screening: { answers: options.answers, outcome, consentedAt: this.services.now().toISOString() },
      });
    } else {
      await this.services.memory.set(step.context, { ...memory, screening: undefined });
    }
    await step.context.sendActivity(
      replies.line(lang, reply === 'yes' ? 'flows.screening.consentYes' : 'flows.screening.consentNo'),
    );
    return step.replaceDialog(SCREENING_WATERFALL, { ...options, stage: 'book', misses: 0 });
  }

  /** "Would you like to request a consultation now?": a yes starts the booking request. */
  private async book(
    step: WaterfallStepContext,
    options: ScreeningOptions,
    reply: string | undefined,
    lang: Lang,
  ): Promise<DialogTurnResult> {
    const { replies } = this.services;
    if (reply === 'yes') {
      const end: FlowEnd = { kind: 'flow-end', next: { flow: 'booking', message: '' } };
      return step.endDialog(end);
    }
    if (reply !== 'no' && reply !== 'skip' && options.misses < 1) {
      await step.context.sendActivity(replies.line(lang, 'flows.screening.yesOrNo'));
      return step.replaceDialog(SCREENING_WATERFALL, { ...options, misses: options.misses + 1 });
    }
    await step.context.sendActivity(replies.line(lang, 'flows.screening.bookLater'));
    return step.endDialog();
  }
}

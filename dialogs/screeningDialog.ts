import { TurnContext } from 'botbuilder';
import { DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { ScreeningQuestion } from '../core/content/schemas';
import { ScreeningAnswer, screeningOutcome } from '../core/screening/screeningRules';
import { FlowEnd } from './flowDialogs';
import { FlowPrompt } from './flowPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { QuestionReplySchema, ScreeningState, ScreeningStateSchema, screeningQuestions } from './screeningQuestions';
import { languageOf, TurnServices } from './turnServices';

export const SCREENING_DIALOG = 'screeningDialog';
const SCREENING_WATERFALL = 'screeningWaterfall';
const QUESTION_PROMPT = 'screeningQuestionPrompt';
const CONSENT_PROMPT = 'screeningConsentPrompt';
const BOOK_PROMPT = 'screeningBookPrompt';

/** What the consent and booking questions end with: yes or no. */
const YesSchema = z.boolean();

/**
 * Candidate screening: one yes/no question at a time from content/screening.yaml, with "why?",
 * back, skip and stop; then the outcome and the reasons; then, each on its own, consent before
 * keeping the answers and whether to request a consultation.
 */
export class ScreeningDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(SCREENING_DIALOG, 'screening', services);
    const questions = screeningQuestions(services);
    this.addDialog(new FlowPrompt(QUESTION_PROMPT, questions.question));
    this.addDialog(new FlowPrompt(CONSENT_PROMPT, questions.consent));
    this.addDialog(new FlowPrompt(BOOK_PROMPT, questions.book));
    this.addDialog(
      new WaterfallDialog<ScreeningState>(SCREENING_WATERFALL, [
        this.questionStep.bind(this),
        this.nextQuestionStep.bind(this),
        this.consentStep.bind(this),
        this.bookStep.bind(this),
        this.endStep.bind(this),
      ]),
    );
    this.initialDialogId = SCREENING_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const lang = await languageOf(innerDc.context, this.services);
    await innerDc.context.sendActivity(
      this.services.replies.line(lang, 'flows.screening.intro', { count: String(this.questions().length) }),
    );
    return super.onBeginDialog(innerDc, ScreeningStateSchema.parse({}));
  }

  private questions(): readonly ScreeningQuestion[] {
    return this.services.engine().content.screening.questions;
  }

  /** The next question of content/screening.yaml, until every one has an answer. */
  private async questionStep(step: WaterfallStepContext<ScreeningState>): Promise<DialogTurnResult> {
    if (step.options.index < this.questions().length)
      return step.prompt(QUESTION_PROMPT, FlowPrompt.with(step.options));
    return step.next();
  }

  /** Keeps the answer (or goes back one question) and asks the next question, or goes on to the outcome. */
  private async nextQuestionStep(step: WaterfallStepContext<ScreeningState>): Promise<DialogTurnResult> {
    const reply = QuestionReplySchema.safeParse(step.result).data;
    const questions = this.questions();
    const screening = step.options;
    if (reply === 'back') {
      screening.index = Math.max(0, screening.index - 1);
      delete screening.answers[questions[screening.index].id];
    } else if (reply !== undefined) {
      screening.answers[questions[screening.index].id] = reply;
      screening.index += 1;
    }
    if (screening.index < questions.length) return step.replaceDialog(SCREENING_WATERFALL, screening);
    return step.next();
  }

  /** The outcome and the answers that led there, then, on its own, whether to keep the answers. */
  private async consentStep(step: WaterfallStepContext<ScreeningState>): Promise<DialogTurnResult> {
    await this.sendOutcome(step.context, step.options.answers);
    return step.prompt(CONSENT_PROMPT, FlowPrompt.with(step.options));
  }

  /** Keeps the answers only with a clear yes; then, on its own, "Would you like to request a consultation now?". */
  private async bookStep(step: WaterfallStepContext<ScreeningState>): Promise<DialogTurnResult> {
    const keep = YesSchema.safeParse(step.result).data === true;
    const lang = await languageOf(step.context, this.services);
    const memory = await this.services.memory.get(step.context, {});
    if (keep) {
      const { answers } = step.options;
      const outcome = screeningOutcome(this.questions(), answers).kind;
      await this.services.memory.set(step.context, {
        ...memory,
        screening: { answers, outcome, consentedAt: this.services.now().toISOString() },
      });
    } else {
      await this.services.memory.set(step.context, { ...memory, screening: undefined });
    }
    await step.context.sendActivity(
      this.services.replies.line(lang, keep ? 'flows.screening.consentYes' : 'flows.screening.consentNo'),
    );
    return step.prompt(BOOK_PROMPT, FlowPrompt.with(step.options));
  }

  /** A yes starts the booking request; anything else says how to book later. */
  private async endStep(step: WaterfallStepContext<ScreeningState>): Promise<DialogTurnResult> {
    if (YesSchema.safeParse(step.result).data === true) {
      const end: FlowEnd = { kind: 'flow-end', next: { flow: 'booking', message: '' } };
      return step.endDialog(end);
    }
    const lang = await languageOf(step.context, this.services);
    await step.context.sendActivity(this.services.replies.line(lang, 'flows.screening.bookLater'));
    return step.endDialog();
  }

  private async sendOutcome(context: TurnContext, answers: Record<string, ScreeningAnswer>): Promise<void> {
    const { replies } = this.services;
    const lang = await languageOf(context, this.services);
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
    await context.sendActivity(
      replies.summary(
        replies.text(lang, 'flows.screening.summaryTitle'),
        lines.join('\n\n'),
        facts,
        lang,
        context.activity.channelId,
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
}

import { Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { FaqEntry, Source } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { InterruptibleDialog } from './interruptibleDialog';
import { languageOf, textOf, TurnServices } from './turnServices';

export const WALKTHROUGH_DIALOG = 'walkthroughDialog';
const WALKTHROUGH_WATERFALL = 'walkthroughWaterfall';

const WalkthroughOptionsSchema = z.object({
  position: z.number().int().min(0).default(0),
  /** Replies not understood in a row: the second re-ask offers a way out, a third shows the rest at once. */
  misses: z.number().int().min(0).default(0),
});

const MAX_MISSES = 2;
type WalkthroughOptions = z.infer<typeof WalkthroughOptionsSchema>;

interface Step {
  stageTitle: string;
  indexInStage: number;
  stageLength: number;
  entry: FaqEntry;
}

/**
 * The procedure step by step (before, the day, after) from content/walkthrough.yaml, with next/back and "all at once".
 */
export class WalkthroughDialog extends InterruptibleDialog {
  constructor(services: TurnServices) {
    super(WALKTHROUGH_DIALOG, 'walkthrough', services);
    this.addDialog(
      new WaterfallDialog(WALKTHROUGH_WATERFALL, [this.showStep.bind(this), this.navigateStep.bind(this)]),
    );
    this.initialDialogId = WALKTHROUGH_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    const lang = await languageOf(innerDc.context, this.services);
    await innerDc.context.sendActivity(this.services.replies.line(lang, 'flows.walkthrough.intro'));
    return super.onBeginDialog(innerDc, options);
  }

  protected understands(): boolean {
    return false;
  }

  protected askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.replaceDialog(
      WALKTHROUGH_WATERFALL,
      WalkthroughOptionsSchema.parse(this.currentOptions(innerDc) ?? {}),
    );
  }

  private steps(lang: Lang): Step[] {
    const content = this.services.engine().content;
    return content.walkthrough.stages.flatMap((stage) => {
      const entries = stage.steps.flatMap((id) => content.faqById.get(id) ?? []);
      return entries.map((entry, i) => ({
        stageTitle: stage.title[lang],
        indexInStage: i,
        stageLength: entries.length,
        entry,
      }));
    });
  }

  private sourcesOf(entry: FaqEntry): Source[] {
    const content = this.services.engine().content;
    return entry.sources.flatMap((id) => content.sources.get(id) ?? []);
  }

  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { position } = WalkthroughOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const { replies } = this.services;
    const engine = this.services.engine();
    const current = this.steps(lang)[position];
    const answer = engine.answer(current.entry, lang, 1);
    if (answer.kind !== 'answer') return step.endDialog();
    const heading = replies.text(lang, 'flows.walkthrough.step', {
      stage: current.stageTitle,
      n: String(current.indexInStage + 1),
      total: String(current.stageLength),
    });
    const buttons = replies.replyButtons(
      lang,
      position > 0 ? ['back', 'next', 'all', 'stop'] : ['next', 'all', 'stop'],
    );
    await step.context.sendActivity(
      replies.answer(answer.text, current.entry, answer.sources, [], lang, { heading, buttons }),
    );
    return Dialog.EndOfTurn;
  }

  private async navigateStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: WalkthroughOptions = WalkthroughOptionsSchema.parse(step.options ?? {});
    const lang = await languageOf(step.context, this.services);
    const { replies } = this.services;
    const steps = this.steps(lang);
    const command = this.services.flowReplies.recognize(textOf(step.context))?.command;
    options.misses =
      command === 'next' || command === 'yes' || command === 'back' || command === 'all' ? 0 : options.misses + 1;
    switch (command) {
      case 'next':
      case 'yes':
        options.position += 1;
        break;
      case 'back':
        options.position = Math.max(0, options.position - 1);
        break;
      case 'all':
        await this.sendRest(step, steps.slice(options.position + 1), lang);
        options.position = steps.length;
        break;
      default:
        if (options.misses > MAX_MISSES) {
          // Not understood three times: the rest comes at once rather than the same question again.
          await this.sendRest(step, steps.slice(options.position + 1), lang);
          options.position = steps.length;
        } else {
          await step.context.sendActivity(
            replies.line(
              lang,
              options.misses === 1 ? 'flows.walkthrough.notUnderstood' : 'flows.walkthrough.notUnderstoodAgain',
            ),
          );
        }
    }
    if (options.position >= steps.length) {
      await step.context.sendActivity(replies.simple(lang, 'flows.walkthrough.done', true));
      return step.endDialog();
    }
    return step.replaceDialog(WALKTHROUGH_WATERFALL, options);
  }

  /** "The whole thing at once": the remaining steps, one message per stage, each step with its sources. */
  private async sendRest(step: WaterfallStepContext, rest: Step[], lang: Lang): Promise<void> {
    const { replies } = this.services;
    const engine = this.services.engine();
    const stages = [...new Set(rest.map((s) => s.stageTitle))];
    for (const stage of stages) {
      const inStage = rest.filter((s) => s.stageTitle === stage);
      const sources = [
        ...new Map(inStage.flatMap((s) => this.sourcesOf(s.entry)).map((src) => [src.id, src])).values(),
      ];
      const body = inStage
        .map((s) => {
          const answer = engine.answer(s.entry, lang, 1);
          return `**${s.entry[lang].title}**\n${answer.kind === 'answer' ? answer.text : ''}`;
        })
        .join('\n\n');
      await step.context.sendActivity(replies.cited(`**${stage}**\n\n${body}`, sources, lang));
    }
  }
}

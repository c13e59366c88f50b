import { Activity, TurnContext } from 'botbuilder';
import { DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { FaqEntry, Source } from '../core/content/schemas';
import { Lang } from '../core/text/language';
import { FlowPrompt, MAX_MISSES, Question } from './flowPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { languageOf, textOf, TurnServices } from './turnServices';

export const WALKTHROUGH_DIALOG = 'walkthroughDialog';
const WALKTHROUGH_WATERFALL = 'walkthroughWaterfall';
const STEP_PROMPT = 'walkthroughStepPrompt';

/** Where the walkthrough is: the step shown, and the data its prompt is asked with. */
const WalkthroughPositionSchema = z.object({ position: z.number().int().min(0).default(0) });
type WalkthroughPosition = z.infer<typeof WalkthroughPositionSchema>;

/** What a step's prompt ends with: where to go from it. */
const NavigationSchema = z.enum(['next', 'back', 'all']);
type Navigation = z.infer<typeof NavigationSchema>;

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
    this.addDialog(new FlowPrompt(STEP_PROMPT, this.stepQuestion()));
    this.addDialog(
      new WaterfallDialog<WalkthroughPosition>(WALKTHROUGH_WATERFALL, [
        this.showStep.bind(this),
        this.navigateStep.bind(this),
      ]),
    );
    this.initialDialogId = WALKTHROUGH_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    const lang = await languageOf(innerDc.context, this.services);
    await innerDc.context.sendActivity(this.services.replies.line(lang, 'flows.walkthrough.intro'));
    return super.onBeginDialog(innerDc, WalkthroughPositionSchema.parse(options ?? {}));
  }

  /**
   * One step, shown with next / back / "all at once": a reply not understood is re-asked twice, saying
   * what to tap, and a third shows the rest at once rather than the same step again.
   */
  private stepQuestion(): Question<Navigation, WalkthroughPosition> {
    const { replies } = this.services;
    const show = async (context: TurnContext, position: number): Promise<void> => {
      const message = this.stepMessage(await languageOf(context, this.services), position);
      if (message) await context.sendActivity(message);
    };
    return {
      data: WalkthroughPositionSchema,
      maxMisses: MAX_MISSES,
      understands: () => false,
      ask: (context, { position }) => show(context, position),
      read: (context) => {
        switch (this.services.flowReplies.recognize(textOf(context))?.command) {
          case 'next':
          case 'yes':
            return Promise.resolve({ kind: 'answer', value: 'next' });
          case 'back':
            return Promise.resolve({ kind: 'answer', value: 'back' });
          case 'all':
            return Promise.resolve({ kind: 'answer', value: 'all' });
          default:
            return Promise.resolve({ kind: 'miss' });
        }
      },
      reask: async (context, { position }, misses) => {
        const lang = await languageOf(context, this.services);
        await context.sendActivity(
          replies.line(lang, misses === 1 ? 'flows.walkthrough.notUnderstood' : 'flows.walkthrough.notUnderstoodAgain'),
        );
        await show(context, position);
      },
      moveOn: () => Promise.resolve('all'),
    };
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

  /** The step at `position` with its heading and buttons, or undefined when its entry has no answer. */
  private stepMessage(lang: Lang, position: number): Partial<Activity> | undefined {
    const { replies } = this.services;
    const current = this.steps(lang)[position];
    const answer = this.services.engine().answer(current.entry, lang, 1);
    if (answer.kind !== 'answer') return undefined;
    const heading = replies.text(lang, 'flows.walkthrough.step', {
      stage: current.stageTitle,
      n: String(current.indexInStage + 1),
      total: String(current.stageLength),
    });
    const buttons = replies.replyButtons(
      lang,
      position > 0 ? ['back', 'next', 'all', 'stop'] : ['next', 'all', 'stop'],
    );
    return replies.answer(answer.text, current.entry, answer.sources, [], lang, { heading, buttons });
  }

  private async showStep(step: WaterfallStepContext<WalkthroughPosition>): Promise<DialogTurnResult> {
    const lang = await languageOf(step.context, this.services);
    if (!this.stepMessage(lang, step.options.position)) return step.endDialog();
    return step.prompt(STEP_PROMPT, FlowPrompt.with(step.options));
  }

  private async navigateStep(step: WaterfallStepContext<WalkthroughPosition>): Promise<DialogTurnResult> {
    const navigation = NavigationSchema.parse(step.result);
    const lang = await languageOf(step.context, this.services);
    const steps = this.steps(lang);
    let { position } = step.options;
    switch (navigation) {
      case 'next':
        position += 1;
        break;
      case 'back':
        position = Math.max(0, position - 1);
        break;
      case 'all':
        await this.sendRest(step, steps.slice(position + 1), lang);
        position = steps.length;
        break;
    }
    if (position >= steps.length) {
      await step.context.sendActivity(this.services.replies.simple(lang, 'flows.walkthrough.done', true));
      return step.endDialog();
    }
    return step.replaceDialog(WALKTHROUGH_WATERFALL, { position });
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

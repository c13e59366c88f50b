import { Activity, TurnContext } from 'botbuilder';
import {
  Dialog,
  DialogContext,
  DialogInstance,
  DialogTurnResult,
  Prompt,
  PromptOptions,
  PromptRecognizerResult,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import { Lang } from '../core/text/language';

/** Replies not understood in a row before a question moves on: it is asked at most twice more. */
export const MAX_MISSES = 2;

/** A reply the question could not read: `problem` (a locale key) says what was wrong, `typed` is kept. */
export interface Miss {
  kind: 'miss';
  problem?: string;
  values?: Record<string, string>;
  /** What the patient typed, kept for a way out such as "Keep as typed". */
  typed?: string;
}

/** How one reply reads against the question it answers. */
export type Reading<T> =
  /** An answer: the question ends with it. */
  | { kind: 'answer'; value: T }
  /** A reply the question takes without an answer ("why do you ask?"): `say` is sent and the question waits. */
  | { kind: 'aside'; say: Partial<Activity>; askAgain: boolean }
  | Miss;

/**
 * One question of a guided conversation: how it is asked, how a reply is read (with the core's
 * pure functions), what is said about a reply not understood, and the safe answer it takes when
 * the patient still could not be understood after two re-asks.
 */
export interface Question<T, D> {
  /** The data the question is asked with (the answers so far, which question of a list), checked when read. */
  readonly data: z.ZodType<D>;
  /** Replies not understood before the question moves on with its safe answer. */
  readonly maxMisses: number;
  /** Whether a message reads as an answer here, rather than as a question for the clinic's content. */
  understands(text: string, lang: Lang, context: TurnContext): boolean;
  /** Sends the question, in the patient's language of the moment (it is asked again after a switch). */
  ask(context: TurnContext, data: D): Promise<void>;
  /** Reads the reply in `context`; `typed` is the last reply not understood, if one was kept. */
  read(context: TurnContext, data: D, typed: string | undefined): Promise<Reading<T>>;
  /** Says what was wrong: the first time with an example, the second with the way out that fits. */
  reask(context: TurnContext, data: D, misses: number, miss: Miss): Promise<void>;
  /** The reply after the last re-ask was not understood either: the safe answer, said to the patient. */
  moveOn(context: TurnContext, data: D, typed: string | undefined): Promise<T>;
}

/** A FlowPrompt's instance state, in the layout the SDK's `Prompt` gives it (`options`, then `state`). */
const InstanceSchema = z.object({
  options: z.looseObject({ validations: z.unknown() }),
  state: z.looseObject({ misses: z.number().int().min(0).default(0), typed: z.string().optional() }),
});

/**
 * The prompt every question of a guided conversation is asked with. The SDK's validator can only
 * accept or refuse the recognised value, so the prompt reads replies itself: an answer ends it, an
 * aside is answered and the question waits, and a reply not understood is re-asked at most twice
 * before the question ends with its safe answer. Misses survive interruptions (a question asked
 * mid-flow, a language switch), after which the prompt asks again in the patient's language.
 */
export class FlowPrompt<T, D extends object> extends Prompt<T> {
  constructor(
    dialogId: string,
    private readonly question: Question<T, D>,
  ) {
    super(dialogId);
  }

  /** The options that ask the question with `data` (a copy: the flow goes on changing its own). */
  static with(data: object): PromptOptions {
    return { validations: structuredClone(data) };
  }

  /** Whether a message reads as an answer to this question (`context` is the turn it came in). */
  understands(text: string, lang: Lang, context: TurnContext): boolean {
    return this.question.understands(text, lang, context);
  }

  /** The data this prompt's instance asks with, unchecked (undefined when it is not this prompt's). */
  dataOf(instance: DialogInstance): unknown {
    const parsed = InstanceSchema.safeParse(instance.state);
    return parsed.success ? parsed.data.options.validations : undefined;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const instance = dc.activeDialog;
    // Only messages reach a guided conversation (the bot routes nothing else to its dialogs).
    if (!instance) return Dialog.EndOfTurn;
    const { options, state } = InstanceSchema.parse(instance.state);
    const data = this.question.data.parse(options.validations);
    const reading = await this.question.read(dc.context, data, state.typed);
    switch (reading.kind) {
      case 'answer':
        return dc.endDialog(reading.value);
      case 'aside':
        await dc.context.sendActivity(reading.say);
        if (reading.askAgain) await this.question.ask(dc.context, data);
        return Dialog.EndOfTurn;
      case 'miss': {
        const misses = state.misses + 1;
        const typed = reading.typed ?? state.typed;
        if (misses > this.question.maxMisses) return dc.endDialog(await this.question.moveOn(dc.context, data, typed));
        instance.state = { options, state: { misses, typed } };
        await this.question.reask(dc.context, data, misses, reading);
        return Dialog.EndOfTurn;
      }
    }
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions): Promise<void> {
    await this.question.ask(context, this.question.data.parse(options.validations));
  }

  /** Whether the reply reads as an answer (the SDK asks this when an event bubbles up to the prompt). */
  protected async onRecognize(
    context: TurnContext,
    state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<T>> {
    const typed = 'typed' in state && typeof state.typed === 'string' ? state.typed : undefined;
    const reading = await this.question.read(context, this.question.data.parse(options.validations), typed);
    return reading.kind === 'answer' ? { succeeded: true, value: reading.value } : { succeeded: false };
  }
}

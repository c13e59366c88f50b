import { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { FlowReply } from '../core/commands/commandRecognizer';
import { Lang } from '../core/text/language';
import { MAX_MISSES, Question, Reading } from './flowPrompt';
import { languageOf, textOf, TurnServices } from './turnServices';

/** A reply to one screening question: an answer, or "back" to the question before. */
export const QuestionReplySchema = z.enum(['yes', 'no', 'unsure', 'skip', 'back']);
export type QuestionReply = z.infer<typeof QuestionReplySchema>;

/** The screening conversation's options: which question it is at, and the answers so far. */
export const ScreeningStateSchema = z.object({
  index: z.number().int().min(0).default(0),
  answers: z.record(z.string(), z.enum(['yes', 'no', 'unsure', 'skip'])).default({}),
});
export type ScreeningState = z.infer<typeof ScreeningStateSchema>;

/** The screening's questions: each of content/screening.yaml's, consent to keep the answers, and booking now. */
export interface ScreeningQuestions {
  question: Question<QuestionReply, ScreeningState>;
  consent: Question<boolean, ScreeningState>;
  book: Question<boolean, ScreeningState>;
}

/**
 * The questions of candidate screening. Every re-ask says what was not understood and asks the
 * question again; a screening question not understood three times is left for the clinician.
 */
export function screeningQuestions(services: TurnServices): ScreeningQuestions {
  const { replies } = services;
  const questions = () => services.engine().content.screening.questions;
  const heard = async (context: TurnContext): Promise<{ lang: Lang; reply?: FlowReply }> => ({
    lang: await languageOf(context, services),
    reply: services.flowReplies.recognize(textOf(context))?.command,
  });
  const say = async (context: TurnContext, key: string): Promise<void> => {
    await context.sendActivity(replies.line(await languageOf(context, services), `flows.screening.${key}`));
  };

  const question: Question<QuestionReply, ScreeningState> = {
    data: ScreeningStateSchema,
    maxMisses: MAX_MISSES,
    understands: () => false,
    ask: async (context, { index }) => {
      const lang = await languageOf(context, services);
      const all = questions();
      const text = replies.text(lang, 'flows.screening.progress', {
        n: String(index + 1),
        total: String(all.length),
        question: all[index][lang].question,
      });
      const kinds =
        index > 0
          ? (['yes', 'no', 'unsure', 'why', 'back', 'skip'] as const)
          : (['yes', 'no', 'unsure', 'why', 'skip'] as const);
      await context.sendActivity(replies.prompt(text, lang, replies.replyButtons(lang, kinds)));
    },
    read: async (context, { index }) => {
      const { lang, reply } = await heard(context);
      switch (reply) {
        case 'yes':
        case 'no':
        case 'unsure':
        case 'skip':
        case 'back':
          return { kind: 'answer', value: reply };
        case 'why':
          return { kind: 'aside', say: replies.prompt(questions()[index][lang].why, lang), askAgain: true };
        default:
          return { kind: 'miss' };
      }
    },
    reask: async (context, data, misses) => {
      await say(context, misses === 1 ? 'notUnderstood' : 'notUnderstoodAgain');
      await question.ask(context, data);
    },
    moveOn: async (context) => {
      // Asked twice already: the question is left for the clinician rather than asked a third time.
      await say(context, 'leftForClinician');
      return 'skip';
    },
  };

  const consent: Question<boolean, ScreeningState> = {
    data: ScreeningStateSchema,
    maxMisses: MAX_MISSES,
    understands: () => false,
    ask: async (context) => {
      const lang = await languageOf(context, services);
      await context.sendActivity(
        replies.line(lang, 'flows.screening.consent', undefined, replies.replyButtons(lang, ['yes', 'no'])),
      );
    },
    read: async (context) => {
      const { reply } = await heard(context);
      return reply === 'yes' || reply === 'no' ? { kind: 'answer', value: reply === 'yes' } : { kind: 'miss' };
    },
    reask: async (context, data, misses) => {
      await say(context, misses === 1 ? 'yesOrNo' : 'yesOrNoAgain');
      await consent.ask(context, data);
    },
    // Nothing is kept without a clear yes.
    moveOn: () => Promise.resolve(false),
  };

  const book: Question<boolean, ScreeningState> = {
    data: ScreeningStateSchema,
    // Asked once more; then the patient is told how to book later.
    maxMisses: 1,
    understands: () => false,
    ask: async (context) => {
      const lang = await languageOf(context, services);
      await context.sendActivity(
        replies.line(lang, 'flows.screening.bookAsk', undefined, [
          replies.bookButton(lang),
          ...replies.labelButtons(lang, ['buttons.noThanks']),
        ]),
      );
    },
    read: async (context): Promise<Reading<boolean>> => {
      const { reply } = await heard(context);
      if (reply === 'yes') return { kind: 'answer', value: true };
      if (reply === 'no' || reply === 'skip') return { kind: 'answer', value: false };
      return { kind: 'miss' };
    },
    reask: async (context, data) => {
      await say(context, 'yesOrNo');
      await book.ask(context, data);
    },
    moveOn: () => Promise.resolve(false),
  };

  return { question, consent, book };
}

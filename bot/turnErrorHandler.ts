import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import { ConsultationBot } from './consultationBot';
import { Logger } from './logger';
import { BotReplies } from './replies';
import { turnFailureKind } from './turnFailures';

/**
 * The one handler for every failed turn: the log gets the error, the guided conversation it
 * happened in and a short reference; the patient gets an apology in their language with the same
 * reference. The conversation keeps its place: a turn that failed saved nothing, and one whose
 * replies could not be sent saved its step, so the patient's next message carries on. Only a
 * conversation state this version cannot read is reset.
 */
export function turnErrorHandler(
  bot: ConsultationBot,
  replies: BotReplies,
  log: Logger,
): (context: TurnContext, error: unknown) => Promise<void> {
  return async (context, error) => {
    const ref = randomUUID().slice(0, 8);
    const failure = turnFailureKind(error);
    const err =
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : { name: typeof error, message: String(error) };
    const dialog = await bot.activeDialogId(context);
    log.error(
      {
        event: 'turn-error',
        ref,
        failure,
        err,
        dialog,
        activityType: context.activity.type,
        channel: context.activity.channelId,
      },
      failure === 'reply-not-sent' ? 'replies not sent: the conversation keeps its place' : 'turn failed',
    );
    if (failure !== 'reply-not-sent') {
      try {
        if (failure === 'unreadable-state' || !(await bot.conversationReadable(context))) {
          await bot.resetConversation(context);
          log.warn({ event: 'turn-error-reset', ref, dialog }, 'conversation state unreadable: started afresh');
        }
      } catch (resetError) {
        log.error(
          {
            event: 'turn-error-reset-failed',
            ref,
            message: resetError instanceof Error ? resetError.message : String(resetError),
          },
          'could not reset the conversation',
        );
      }
    }
    try {
      await context.sendActivity(replies.error(await bot.languageOf(context), ref));
    } catch (sendError) {
      log.error(
        {
          event: 'turn-error-reply-failed',
          ref,
          message: sendError instanceof Error ? sendError.message : String(sendError),
        },
        'could not tell the user',
      );
    }
  };
}

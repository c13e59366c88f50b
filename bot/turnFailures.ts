import { z } from 'zod';

/**
 * The turn's work was done and its state saved, but its replies could not be sent (the channel was
 * unreachable): the conversation stays where the turn left it.
 */
export class ReplyNotSentError extends Error {
  override readonly name = 'ReplyNotSentError';
  constructor(
    readonly replies: number,
    options: { cause: unknown },
  ) {
    super(
      `${replies} reply(ies) could not be sent: ${options.cause instanceof Error ? options.cause.message : 'error'}`,
      options,
    );
  }
}

/**
 * What kind of failure a turn error is:
 * - `reply-not-sent`: the state was saved as of the step, only the replies were lost;
 * - `unreadable-state`: the stored conversation cannot be read by this version (a dialog it no
 *   longer has, options that do not parse): only this is reset;
 * - `failed`: anything else; nothing of the turn was saved, so the conversation is as it was.
 */
export type TurnFailureKind = 'reply-not-sent' | 'unreadable-state' | 'failed';

export function turnFailureKind(error: unknown): TurnFailureKind {
  const chain = causesOf(error);
  if (chain.some((e) => e instanceof ReplyNotSentError)) return 'reply-not-sent';
  if (chain.some((e) => e instanceof z.core.$ZodError || isMissingDialog(e))) return 'unreadable-state';
  return 'failed';
}

/** botbuilder-dialogs' words when a stack names a dialog that is not registered (DialogContextError). */
function isMissingDialog(error: Error): boolean {
  return error.name === 'DialogContextError' && /wasn't found|Can't find a dialog/.test(error.message);
}

/** The error, the error a DialogContextError wraps, and their causes (a few levels at most). */
function causesOf(error: unknown): Error[] {
  const found: Error[] = [];
  let next: unknown = error;
  while (next instanceof Error && found.length < 5 && !found.includes(next)) {
    found.push(next);
    next = 'error' in next && next.error instanceof Error ? next.error : next.cause;
  }
  return found;
}

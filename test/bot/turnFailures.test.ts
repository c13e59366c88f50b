import { DialogContextError, DialogSet, DialogState } from 'botbuilder-dialogs';
import { ConversationState, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ReplyNotSentError, turnFailureKind } from '../../bot/turnFailures';

/** A DialogContextError as botbuilder-dialogs throws it, wrapping `error`, from a real dialog context. */
async function dialogError(error: Error | string): Promise<DialogContextError> {
  const context = new TurnContext(new TestAdapter(), {
    type: 'message',
    channelId: 'test',
    conversation: { id: 'failures', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'patient', name: 'Patient' },
    recipient: { id: 'bot', name: 'Bot' },
    text: 'hi',
  });
  const state = new ConversationState(new MemoryStorage());
  const dc = await new DialogSet(state.createProperty<DialogState>('dialogState')).createContext(context);
  return new DialogContextError(error, dc);
}

describe('turnFailureKind', () => {
  it('tells a turn whose replies could not be sent, however it was wrapped', () => {
    const lost = new ReplyNotSentError(2, { cause: new Error('connect ECONNREFUSED') });
    expect(turnFailureKind(lost)).toBe('reply-not-sent');
    expect(turnFailureKind(new Error('turn failed', { cause: lost }))).toBe('reply-not-sent');
    expect(lost.message).toBe('2 reply(ies) could not be sent: connect ECONNREFUSED');
  });

  it('reads stored options that do not parse as a state that cannot be read', async () => {
    const parsed = z.object({ step: z.number() }).safeParse({ step: 'three' });
    expect(parsed.success).toBe(false);
    expect(turnFailureKind(await dialogError(parsed.error ?? new Error('parsed')))).toBe('unreadable-state');
  });

  it('reads a stack naming a dialog this version does not have as a state that cannot be read', async () => {
    const missing = await dialogError(
      "DialogContext.continueDialog(): Can't continue dialog. A dialog with an id of 'oldDialog' wasn't found.",
    );
    expect(turnFailureKind(missing)).toBe('unreadable-state');
  });

  it('calls anything else a failed turn, whose conversation is kept', async () => {
    expect(turnFailureKind(new Error('storage unavailable (write)'))).toBe('failed');
    expect(turnFailureKind(await dialogError(new TypeError('x is not a function')))).toBe('failed');
    expect(turnFailureKind('a string')).toBe('failed');
  });
});

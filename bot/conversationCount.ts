import { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';

/** Conversations this process knows are counted, so their later messages cost no state read. */
const REMEMBERED = 10_000;

/**
 * Tells a conversation's first message, for staff's figures: a flag kept in the conversation's
 * state (so every instance agrees), and in memory the conversations lately seen counted.
 */
export class ConversationCount {
  private readonly counted: StatePropertyAccessor<boolean>;
  private readonly known = new Set<string>();

  constructor(conversationState: ConversationState) {
    this.counted = conversationState.createProperty<boolean>('counted');
  }

  /** True for the conversation's first message; its flag is set in this turn's state. */
  async opens(context: TurnContext): Promise<boolean> {
    if (this.known.has(keyOf(context))) return false;
    if ((await this.counted.get(context)) === true) return false;
    await this.counted.set(context, true);
    return true;
  }

  /** The turn's state is saved: the conversation is counted from now on. */
  saved(context: TurnContext): void {
    const key = keyOf(context);
    this.known.delete(key);
    this.known.add(key);
    const oldest = this.known.values().next().value;
    if (this.known.size > REMEMBERED && oldest !== undefined) this.known.delete(oldest);
  }
}

function keyOf(context: TurnContext): string {
  return `${context.activity.channelId ?? ''}/${context.activity.conversation?.id ?? ''}`;
}

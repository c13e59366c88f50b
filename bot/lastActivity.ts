import { ConversationState, StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';

/** Conversations this process stamped today, remembered so the stamp costs no read on later messages. */
const REMEMBERED = 10_000;

/**
 * Stamps the conversation and its patient as active today (UTC day), so the store's last-write
 * time, which the retention sweep reads, is at most a day behind the patient's last message even
 * when their messages change nothing else. Costs at most one write a day per conversation and
 * per patient; a conversation's state is read for it only on its first message of the day here.
 */
export class LastActivity {
  private readonly conversationDay: StatePropertyAccessor<string>;
  private readonly userDay: StatePropertyAccessor<string>;
  private readonly stamped = new Map<string, string>();

  constructor(
    conversationState: ConversationState,
    userState: UserState,
    private readonly now: () => Date,
  ) {
    this.conversationDay = conversationState.createProperty<string>('activeOn');
    this.userDay = userState.createProperty<string>('activeOn');
  }

  async touch(context: TurnContext): Promise<void> {
    const today = this.now().toISOString().slice(0, 10);
    if ((await this.userDay.get(context)) !== today) await this.userDay.set(context, today);
    const key = `${context.activity.channelId ?? ''}/${context.activity.conversation?.id ?? ''}`;
    if (this.stamped.get(key) === today) return;
    if ((await this.conversationDay.get(context)) !== today) await this.conversationDay.set(context, today);
    this.stamped.delete(key);
    this.stamped.set(key, today);
    if (this.stamped.size > REMEMBERED) {
      const oldest = this.stamped.keys().next().value;
      if (oldest !== undefined) this.stamped.delete(oldest);
    }
  }
}

import {
  Activity,
  ConversationState,
  ResourceResponse,
  StatePropertyAccessor,
  TurnContext,
  UserState,
} from 'botbuilder';
import { isETagConflict } from '../core/storage/keyValueStore';
import { Logger } from './logger';
import { ReplyNotSentError } from './turnFailures';

/** Activity ids handled lately in a conversation, with when (ms), to answer a redelivery once. */
interface SeenActivities {
  ids: [string, number][];
}

const MAX_TURN_ATTEMPTS = 5;
/** Redeliveries remembered by one process (the `process` scope), oldest dropped first. */
const PROCESS_SEEN_KEPT = 20_000;
const SEEN_KEPT = 64;
const HOLD = Symbol('holdReplies');

interface Held {
  holding: boolean;
  activities: Partial<Activity>[];
}

/**
 * Runs each turn as a small transaction over the conversation's state:
 * - turns of one conversation run one at a time in this process;
 * - replies are held until the state is saved, so a turn that loses an eTag race (another
 *   instance changed the conversation meanwhile) is re-run on fresh state without the patient
 *   seeing anything twice; replies that then cannot be sent fail the turn with a
 *   ReplyNotSentError, its state kept;
 * - an activity id seen in the conversation within the window (a channel's retry) is answered
 *   once and not processed again. With the `shared` scope (several instances) the seen ids live in
 *   the conversation state, so the check is part of the same eTag-checked write on every instance;
 *   with the `process` scope (one instance: the embedded sqlite default) they are kept in memory,
 *   which spares a state write on every plain question.
 */
export class TurnRunner {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly seen: StatePropertyAccessor<SeenActivities>;
  private readonly seenHere = new Map<string, number>();

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly log: Logger,
    private readonly dedupeWindowMs: number,
    private readonly now: () => Date,
    private readonly dedupeScope: 'shared' | 'process' = 'shared',
  ) {
    this.seen = conversationState.createProperty<SeenActivities>('seenActivities');
  }

  /** Runs `turn` for this context; resolves once its state is saved and its replies sent. */
  run(context: TurnContext, turn: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId ?? ''}/${context.activity.conversation?.id ?? ''}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(() => this.transact(context, turn));
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }

  private async transact(context: TurnContext, turn: () => Promise<void>): Promise<void> {
    const held = holdReplies(context);
    // What the turn leaves in turn state (cached state, dialog hand-overs) is dropped before a re-run.
    const baseline = new Set(context.turnState.keys());
    const seenKey = this.dedupeScope === 'process' ? this.seenInProcess(context) : undefined;
    if (seenKey === true) return;
    for (let attempt = 1; ; attempt++) {
      held.holding = true;
      held.activities = [];
      try {
        if (await this.isRedelivery(context)) {
          this.log.info(
            { event: 'duplicate-activity', channel: context.activity.channelId },
            'activity already handled: not processed again',
          );
          return;
        }
        await turn();
        await this.conversationState.saveChanges(context, false);
        await this.userState.saveChanges(context, false);
      } catch (err) {
        held.activities = [];
        if (!isETagConflict(err) || attempt >= MAX_TURN_ATTEMPTS) {
          // A turn that failed was not handled: the channel's retry of it must run.
          if (typeof seenKey === 'string') this.seenHere.delete(seenKey);
          throw err;
        }
        this.log.warn(
          { event: 'turn-conflict', attempt, channel: context.activity.channelId },
          'conversation changed by another instance: running the turn again',
        );
        for (const key of [...context.turnState.keys()]) if (!baseline.has(key)) context.turnState.delete(key);
        continue;
      } finally {
        held.holding = false;
      }
      if (held.activities.length > 0) {
        try {
          await context.sendActivities(held.activities);
        } catch (err) {
          // The state is saved as of this step: the patient's next message carries on from it.
          throw new ReplyNotSentError(held.activities.length, { cause: err });
        }
      }
      return;
    }
  }

  /**
   * The `process` scope: true when this process handled the activity lately, else the key it was
   * recorded under (undefined when the activity has no id or the check is off).
   */
  private seenInProcess(context: TurnContext): true | string | undefined {
    const id = context.activity.id;
    if (!id || this.dedupeWindowMs <= 0) return undefined;
    const key = `${context.activity.channelId ?? ''}/${context.activity.conversation?.id ?? ''}/${id}`;
    const now = this.now().getTime();
    const at = this.seenHere.get(key);
    if (at !== undefined && now - at < this.dedupeWindowMs) {
      this.log.info(
        { event: 'duplicate-activity', channel: context.activity.channelId },
        'activity already handled: not processed again',
      );
      return true;
    }
    this.seenHere.delete(key);
    this.seenHere.set(key, now);
    if (this.seenHere.size > PROCESS_SEEN_KEPT) {
      for (const [old, t] of this.seenHere) {
        if (this.seenHere.size <= PROCESS_SEEN_KEPT && now - t < this.dedupeWindowMs) break;
        this.seenHere.delete(old);
      }
    }
    return key;
  }

  /** True when this activity id was handled in this conversation lately; otherwise records it. */
  private async isRedelivery(context: TurnContext): Promise<boolean> {
    const id = context.activity.id;
    if (!id || this.dedupeWindowMs <= 0 || this.dedupeScope === 'process') return false;
    const now = this.now().getTime();
    const seen = await this.seen.get(context, { ids: [] });
    if (seen.ids.some(([seenId, at]) => seenId === id && now - at < this.dedupeWindowMs)) return true;
    const kept = seen.ids.filter(([, at]) => now - at < this.dedupeWindowMs).slice(-(SEEN_KEPT - 1));
    await this.seen.set(context, { ids: [...kept, [id, now]] });
    return false;
  }
}

/** Registers (once per turn context) a send hook that keeps replies while `holding` is true. */
function holdReplies(context: TurnContext): Held {
  const existing: Held | undefined = context.turnState.get(HOLD);
  if (existing) return existing;
  const held: Held = { holding: false, activities: [] };
  context.turnState.set(HOLD, held);
  context.onSendActivities(async (_ctx, activities, next): Promise<ResourceResponse[]> => {
    if (!held.holding) return next();
    held.activities.push(...activities);
    return activities.map(() => ({ id: '' }));
  });
  return held;
}

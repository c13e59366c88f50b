import { ConversationState, Storage, TurnContext, UserState } from 'botbuilder';
import { isETagConflict } from '../core/storage/keyValueStore';

type State = Record<string, unknown>;

interface Loaded {
  state: State;
  /** The eTag it was loaded with; `saved` once this turn wrote it (the store's new eTag is not returned). */
  eTag?: string | typeof SAVED;
  hash: string;
}

const SAVED = Symbol('saved');

/**
 * botbuilder's BotState saves with eTag `*`, so of two instances handling the same conversation
 * the last writer silently wins. These states remember the eTag each document was loaded with
 * and write with it: a concurrent change makes the save fail with an eTag conflict, and the
 * turn runner re-runs the turn on fresh state instead of losing an answer.
 */
class ETagTracker {
  private readonly key = Symbol('loadedETag');

  remember(context: TurnContext, state: State): State {
    const known: Loaded | undefined = context.turnState.get(this.key);
    if (known?.state !== state) {
      context.turnState.set(this.key, {
        state,
        eTag: typeof state.eTag === 'string' ? state.eTag : undefined,
        hash: hashOf(state),
      });
    }
    return state;
  }

  /** Writes the state if it changed; `overwrite` retries a conflict with the newest eTag instead of failing. */
  async save(
    context: TurnContext,
    state: State | undefined,
    key: string,
    storage: Storage,
    force: boolean,
    overwrite: boolean,
  ): Promise<boolean> {
    if (!state) return false;
    const known: Loaded | undefined = context.turnState.get(this.key);
    const hash = hashOf(state);
    if (!force && known?.state === state && known.hash === hash) return false;
    const { eTag: _ignored, ...value } = state;
    let eTag = known?.state === state ? known.eTag : undefined;
    // Saved already in this turn: check against what this turn wrote.
    if (eTag === SAVED) eTag = eTagOf((await storage.read([key]))[key]);
    for (let attempt = 0; ; attempt++) {
      try {
        await storage.write({ [key]: { ...value, eTag } });
        break;
      } catch (err) {
        if (!overwrite || !isETagConflict(err) || attempt >= 3) throw err;
        eTag = eTagOf((await storage.read([key]))[key]);
      }
    }
    context.turnState.set(this.key, { state, eTag: SAVED, hash });
    return true;
  }
}

/** The eTag of a stored item, if it has one. */
function eTagOf(item: unknown): string | undefined {
  return typeof item === 'object' && item !== null && 'eTag' in item && typeof item.eTag === 'string'
    ? item.eTag
    : undefined;
}

function hashOf(state: State): string {
  const { eTag: _ignored, ...rest } = state;
  return JSON.stringify(rest);
}

/** Conversation state whose save fails on a concurrent change (the turn is then re-run). */
export class CheckedConversationState extends ConversationState {
  private readonly tracker = new ETagTracker();

  override async load(context: TurnContext, force = false): Promise<State> {
    return this.tracker.remember(context, (await super.load(context, force)) as State);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    await this.tracker.save(
      context,
      this.get(context) as State | undefined,
      await this.storageKey(context),
      this.storage,
      force,
      false,
    );
  }
}

/**
 * User state (language, last answer) is shared by a user's conversations. A conflict there comes
 * from another conversation of the same person; the conversation's own changes are already
 * checked and kept, so the newest user write wins rather than re-running the turn.
 */
export class CheckedUserState extends UserState {
  private readonly tracker = new ETagTracker();

  override async load(context: TurnContext, force = false): Promise<State> {
    return this.tracker.remember(context, (await super.load(context, force)) as State);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    await this.tracker.save(
      context,
      this.get(context) as State | undefined,
      await this.storageKey(context),
      this.storage,
      force,
      true,
    );
  }
}

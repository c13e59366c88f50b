import { z } from 'zod';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';

const INDEX_KEY = 'handoff/index';
const MAX_CONFLICT_RETRIES = 20;
/** Closed handoffs kept for the inbox's "resolved" tab; older ones are deleted with their transcripts. */
export const CLOSED_KEPT = 300;

const IndexSchema = z.object({
  /** Goes up by one on every change to any handoff. */
  version: z.number().int().min(0).default(0),
  /** Open handoffs (waiting or claimed), at most one per conversation. */
  open: z.array(z.object({ id: z.string(), addressKey: z.string() })).default([]),
  /** Closed handoffs, newest last. */
  closed: z.array(z.string()).default([]),
});
export type HandoffIndexItem = z.infer<typeof IndexSchema>;

export class HandoffIndexError extends Error {
  override readonly name = 'HandoffIndexError';
}

/** The one item that lists handoffs (plain Storage cannot list keys) and counts changes; eTag-merged. */
export class HandoffIndex {
  constructor(
    private readonly store: KeyValueStore,
    /** Deletes the records of closed handoffs that fell off the list. */
    private readonly drop: (ids: string[]) => Promise<void>,
  ) {}

  async read(): Promise<{ index: HandoffIndexItem; eTag?: string }> {
    const item = (await this.store.read([INDEX_KEY]))[INDEX_KEY];
    if (!item) return { index: { version: 0, open: [], closed: [] } };
    const { eTag, ...rest } = item;
    return { index: IndexSchema.parse(rest), eTag };
  }

  /**
   * Lists a new open handoff unless its conversation already has one; returns the id that is
   * listed for the conversation afterwards (the new one, or the one that was there first).
   */
  async add(id: string, addressKey: string): Promise<string> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      await this.update((index) =>
        index.open.some((e) => e.addressKey === addressKey)
          ? undefined
          : { ...index, version: index.version + 1, open: [...index.open, { id, addressKey }] },
      );
      // The very first index write has no eTag to check (a store may not "create only if absent"),
      // so a write can be lost to another instance's: read it back until the conversation is listed.
      const listed = (await this.read()).index.open.find((e) => e.addressKey === addressKey);
      if (listed) return listed.id;
    }
    throw new HandoffIndexError(`could not list handoff ${id}`);
  }

  /** Counts a change to a handoff; one that closed moves to the closed list. */
  async touch(id: string, open: boolean): Promise<void> {
    let dropped: string[] = [];
    await this.update((index) => {
      if (open) return { ...index, version: index.version + 1 };
      const closed = [...index.closed.filter((c) => c !== id), id];
      dropped = closed.slice(0, Math.max(0, closed.length - CLOSED_KEPT));
      return {
        version: index.version + 1,
        open: index.open.filter((e) => e.id !== id),
        closed: closed.slice(dropped.length),
      };
    });
    if (dropped.length > 0) await this.drop(dropped);
  }

  private async update(change: (index: HandoffIndexItem) => HandoffIndexItem | undefined): Promise<void> {
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const { index, eTag } = await this.read();
      const next = change(index);
      if (!next) return;
      try {
        await this.store.write({ [INDEX_KEY]: { ...next, eTag } });
        return;
      } catch (err) {
        if (!isETagConflict(err)) throw err;
      }
    }
    throw new HandoffIndexError('could not update the handoff index: too many concurrent changes');
  }
}

/**
 * The storage contract of the whole service, written structurally so the core stays SDK-free:
 * it is botbuilder's `Storage` (read / write / delete of JSON items with optimistic eTags), and
 * every implementation here can be handed to botbuilder's BotState unchanged.
 *
 * eTag rules (as botbuilder's MemoryStorage and BlobsStorage): an item written with the eTag it
 * was read with replaces it; a stale eTag is rejected with an ETagConflictError; `*` or no eTag
 * overwrites. The azure-blob store (bot/createOnlyBlobsStorage.ts) creates an item written without
 * an eTag only if it is still absent when that instance last read it as absent: a conflict otherwise.
 */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export type StoreItems = Record<string, StoreItem>;

export interface KeyValueStore {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/** A store that can also list its keys by prefix (the embedded sqlite store; used by staff tools). */
export interface ListableStore extends KeyValueStore {
  keys(prefix: string): Promise<string[]>;
}

export class ETagConflictError extends Error {
  override readonly name = 'ETagConflictError';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

/**
 * True for a rejected stale write from any store: ours throw ETagConflictError, botbuilder's
 * MemoryStorage and BlobsStorage throw a plain Error with this wording.
 */
export function isETagConflict(err: unknown): boolean {
  return err instanceof ETagConflictError || (err instanceof Error && /due to eTag conflict/.test(err.message));
}

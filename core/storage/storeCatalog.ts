/** One stored item as a listing shows it: its key, its eTag and when it was last written. */
export interface CatalogEntry {
  key: string;
  eTag: string;
  lastModified: Date;
}

/**
 * What the retention sweep and the gap log need beyond botbuilder's `Storage`, which can neither
 * list nor create-only: the embedded sqlite store implements it on its own table, Azure Blob
 * through the container's listing and conditional requests (core/storage/blobCatalog.ts).
 */
export interface StoreCatalog {
  /** Every item whose key starts with `prefix`, a page at a time (other work runs between pages). */
  list(prefix: string): AsyncIterable<CatalogEntry>;
  /** Deletes the item only if it still has this eTag; false when it changed or is already gone. */
  deleteIfUnchanged(key: string, eTag: string): Promise<boolean>;
  /** Writes the item only if no item has this key; false when one exists already. */
  createIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean>;
}

/** Lets timers and requests run between pages of a long listing or a long sweep. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

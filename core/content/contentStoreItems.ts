import { z } from 'zod';
import { isETagConflict, KeyValueStore, StoreItem } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { ChangeCountsSchema } from './contentDiff';

/**
 * What the content store keeps in the state store, one zod schema per kind of item: the live
 * pointer (small, polled by every instance), the history index, one item per version, the draft.
 */
export const VersionKindSchema = z.enum(['publish', 'rollback', 'file-import']);
export type VersionKind = z.infer<typeof VersionKindSchema>;

/** One version as the history lists it. */
export const VersionSummarySchema = z.object({
  version: z.number().int().min(1),
  at: z.string(),
  by: z.string(),
  kind: VersionKindSchema,
  note: z.string().optional(),
  /** For a rollback: the version it copied. */
  rolledBackTo: z.number().int().optional(),
  /** What changed from the version live before it. */
  changes: ChangeCountsSchema,
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

export const ContentFilesSchema = z.record(z.string(), z.string());

/** A version with its files: `content/version/<n>`. */
export const ContentVersionSchema = VersionSummarySchema.extend({ files: ContentFilesSchema });
export type ContentVersion = z.infer<typeof ContentVersionSchema>;

/** The history index: a version is claimed `pending` first, so two publishers never take the same number. */
export const HistorySchema = z.object({
  entries: z.array(VersionSummarySchema.extend({ pending: z.boolean() })),
});
export type History = z.infer<typeof HistorySchema>;

/** The live pointer: which version every instance serves. */
export const LivePointerSchema = VersionSummarySchema.omit({ changes: true });
export type LivePointer = z.infer<typeof LivePointerSchema>;

export const DraftSaveSchema = z.object({
  revision: z.number().int(),
  at: z.string(),
  by: z.string(),
  kind: z.enum(['edit', 'discard', 'publish', 'rollback', 'file-import']),
  /** The fields an edit changed (file and path in it); empty for the other kinds. */
  fields: z.array(z.object({ file: z.string(), path: z.array(z.union([z.string(), z.number()])) })),
  /** The version a publish, rollback or import made live. */
  version: z.number().int().optional(),
});
/** One save of the draft, as its log keeps it: who, when, and which fields. */
export type DraftSave = z.infer<typeof DraftSaveSchema>;

/**
 * The draft: its own files only while it has edits nobody published (`edited`); otherwise it
 * is the live version (or the seed folder) and follows it.
 */
export const DraftItemSchema = z.object({
  revision: z.number().int().min(0),
  edited: z.boolean(),
  files: ContentFilesSchema.optional(),
  baseVersion: z.number().int().optional(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  log: z.array(DraftSaveSchema).default([]),
});
export type DraftItem = z.infer<typeof DraftItemSchema>;

/** A stored item read through its schema; undefined when absent, an error when it is not what it should be. */
export function parseItem<S extends z.ZodType>(
  key: string,
  item: StoreItem | undefined,
  schema: S,
): { value: z.infer<S>; eTag?: string } | undefined {
  if (!item) return undefined;
  const { eTag, ...rest } = item;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) throw new Error(`the stored item "${key}" is not valid: ${parsed.error.issues[0]?.message}`);
  return { value: parsed.data, eTag };
}

/**
 * Writes an item only over the version read (its eTag), or only if there is none yet (create-only
 * where the store has it); false when someone wrote it meanwhile.
 */
export async function writeChecked(
  store: KeyValueStore,
  catalog: Pick<StoreCatalog, 'createIfAbsent'> | undefined,
  key: string,
  value: Record<string, unknown>,
  eTag: string | undefined,
): Promise<boolean> {
  try {
    if (eTag !== undefined) {
      await store.write({ [key]: { ...value, eTag } });
      return true;
    }
    if (catalog) return await catalog.createIfAbsent(key, value);
    // A store without create-only (memory in tests): the first write of an item cannot be checked.
    await store.write({ [key]: value });
    return true;
  } catch (err) {
    if (isETagConflict(err)) return false;
    throw err;
  }
}

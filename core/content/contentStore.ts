import { finishInSlices } from '../matching/steps';
import { KeyValueStore } from '../storage/keyValueStore';
import { StoreCatalog } from '../storage/storeCatalog';
import { checkingContentFiles, ContentCheckOptions, ContentCheckReport } from './contentCheck';
import { ContentDiff, diffContent } from './contentDiff';
import { ContentFiles, sameContentFiles } from './contentFiles';
import { contentHash, ContentProblem } from './contentLoader';
import {
  ContentValidationError,
  DraftConflictError,
  NothingToPublishError,
  UnknownVersionError,
} from './contentStoreErrors';
import {
  ContentVersion,
  DraftItem,
  DraftItemSchema,
  DraftSave,
  parseItem,
  VersionKind,
  VersionSummary,
  writeChecked,
} from './contentStoreItems';
import { ContentVersions } from './contentVersions';
import { applyEdits, DraftEdit } from './draftEdits';

export type { ContentVersion, DraftSave, VersionKind, VersionSummary } from './contentStoreItems';

/** The version every instance serves. */
export interface LiveContent {
  version: number;
  files: ContentFiles;
  publishedAt: string;
  publishedBy: string;
  note?: string;
  kind: VersionKind;
}

/** The content staff are editing, and where it started from. */
export interface Draft {
  files: ContentFiles;
  /** Goes up with every save, publish and discard: an edit names the revision it was made on. */
  revision: number;
  /** The live version the draft started from (none before anything was published). */
  baseVersion?: number;
  updatedAt: string;
  updatedBy: string;
  /** True while the draft holds edits that are not published. */
  edited: boolean;
}

export interface PublishResult {
  summary: VersionSummary;
  /** What content:check would warn about; published anyway. */
  warnings: ContentProblem[];
}

export interface ContentStoreOptions {
  /** The content before anything is published: the content folder's files. */
  seed: ContentFiles | (() => ContentFiles);
  now?: () => Date;
  /** Create-only writes where the store has them, so two instances never both create the first item. */
  catalog?: Pick<StoreCatalog, 'createIfAbsent'>;
  /** content:check's review age (default 365 days) and the logo check, applied before publishing. */
  check?: Partial<Pick<ContentCheckOptions, 'maxReviewAgeDays' | 'assetExists'>>;
  /** Length of a slice of the publish check (training its matcher takes seconds). */
  sliceMs?: number;
  /** Where the items live; `content/` unless a test shares a store. */
  keyPrefix?: string;
}

/** Saves of the draft its log keeps, to say who changed what when an edit conflicts. */
const DRAFT_LOG = 50;
const MAX_ATTEMPTS = 20;
const SEED_AUTHOR = 'content folder';

/**
 * Versions of the content in the state store: a draft staff edit (every save eTag-checked,
 * conflicts reported with who changed what meanwhile), published versions 1, 2, 3… each kept
 * whole with a history index, and the live pointer every instance polls. A version is checked
 * with content:check's rules before it is published; a rollback publishes a copy of an old one.
 */
export class ContentStore {
  private readonly now: () => Date;
  private readonly versions: ContentVersions;
  private readonly draftKey: string;
  private checked?: { key: string; report: Promise<ContentCheckReport> };

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: ContentStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    const prefix = options.keyPrefix ?? 'content/';
    this.versions = new ContentVersions(store, prefix, options.catalog);
    this.draftKey = `${prefix}draft`;
  }

  /** The live version's number, from one small item: what instances poll. */
  liveVersion(): Promise<number | undefined> {
    return this.versions.liveVersion();
  }

  async live(): Promise<LiveContent | undefined> {
    const version = await this.versions.live();
    return version && liveOf(version);
  }

  /** The draft: its own edits, else the live version, else the seed folder's files. */
  async draft(): Promise<Draft> {
    return (await this.readDraft()).draft;
  }

  /**
   * Saves edits to the draft made on `expectedRevision`. When anyone saved since, nothing is
   * written: DraftConflictError says who changed what meanwhile. No edits write nothing.
   */
  async editDraft(edits: readonly DraftEdit[], options: { expectedRevision: number; by: string }): Promise<Draft> {
    const { draft, item, eTag } = await this.readDraft();
    if (draft.revision !== options.expectedRevision) throw conflict(options.expectedRevision, draft.revision, item);
    // No edits, no save: the revision only moves when something changed.
    if (edits.length === 0) return draft;
    const files = applyEdits(draft.files, edits);
    const at = this.now().toISOString();
    const revision = draft.revision + 1;
    const save: DraftSave = {
      revision,
      at,
      by: options.by,
      kind: 'edit',
      fields: edits.map((e) => ({ file: e.file, path: [...e.path] })),
    };
    const next: DraftItem = {
      revision,
      edited: true,
      files,
      baseVersion: draft.baseVersion,
      updatedAt: at,
      updatedBy: options.by,
      log: [...(item?.log ?? []), save].slice(-DRAFT_LOG),
    };
    await this.replaceDraft(next, eTag, options.expectedRevision);
    return draftOf(next, files);
  }

  /** Drops the draft's edits: it is the live version again. */
  async discardDraft(options: { by: string; expectedRevision?: number }): Promise<Draft> {
    const { draft, item, eTag } = await this.readDraft();
    if (options.expectedRevision !== undefined && draft.revision !== options.expectedRevision)
      throw conflict(options.expectedRevision, draft.revision, item);
    const at = this.now().toISOString();
    const next = this.followingLive(item, draft.revision + 1, { at, by: options.by, kind: 'discard' });
    await this.replaceDraft(next, eTag, draft.revision);
    return (await this.readDraft()).draft;
  }

  /** content:check on the draft (in slices), kept until the draft changes. */
  async checkDraft(): Promise<{ revision: number; report: ContentCheckReport }> {
    const draft = await this.draft();
    const key = `${draft.revision}:${draft.baseVersion ?? 'seed'}`;
    if (this.checked?.key !== key) this.checked = { key, report: this.check(draft.files) };
    const { report } = this.checked;
    return { revision: draft.revision, report: await report.catch((err: unknown) => this.forgetCheck(key, err)) };
  }

  /** What the draft changes in the live version (or the seed folder). */
  async diffDraft(): Promise<ContentDiff> {
    const [draft, live] = await Promise.all([this.draft(), this.live()]);
    return diffContent(live?.files ?? this.seedFiles(), draft.files);
  }

  /**
   * Checks the draft with content:check's rules and publishes it as the next version: errors
   * refuse (ContentValidationError), warnings are returned. `expectedRevision` publishes only
   * the draft the publisher saw.
   */
  async publish(options: { by: string; note?: string; expectedRevision?: number }): Promise<PublishResult> {
    const { draft, item } = await this.readDraft();
    if (options.expectedRevision !== undefined && draft.revision !== options.expectedRevision)
      throw conflict(options.expectedRevision, draft.revision, item);
    const warnings = await this.validate(draft.files);
    const summary = await this.commit(draft.files, { by: options.by, note: options.note, kind: 'publish' });
    await this.afterLiveChange(summary, draft.revision);
    return { summary, warnings };
  }

  /** Publishes a copy of an earlier version as the next version. */
  async rollback(toVersion: number, options: { by: string; note?: string }): Promise<PublishResult> {
    const old = await this.version(toVersion);
    if (!old) throw new UnknownVersionError(toVersion);
    const warnings = await this.validate(old.files);
    const summary = await this.commit(old.files, {
      by: options.by,
      note: options.note ?? `rollback to version ${toVersion}`,
      kind: 'rollback',
      rolledBackTo: toVersion,
    });
    await this.afterLiveChange(summary);
    return { summary, warnings };
  }

  /** Publishes files edited the file way (npm run content:publish), with the same checks. */
  async importFiles(files: ContentFiles, options: { by: string; note?: string }): Promise<PublishResult> {
    const warnings = await this.validate(files);
    const summary = await this.commit(files, { by: options.by, note: options.note, kind: 'file-import' });
    await this.afterLiveChange(summary);
    return { summary, warnings };
  }

  /** Every published version, newest first. */
  history(): Promise<VersionSummary[]> {
    return this.versions.history();
  }

  version(n: number): Promise<ContentVersion | undefined> {
    return this.versions.version(n);
  }

  /** What changed from version `a` to version `b`. */
  async diff(a: number, b: number): Promise<ContentDiff> {
    const [from, to] = await Promise.all([this.version(a), this.version(b)]);
    if (!from) throw new UnknownVersionError(a);
    if (!to) throw new UnknownVersionError(b);
    return diffContent(from.files, to.files);
  }

  /** Refuses what is live already before the seconds of checking, then checks with content:check's rules. */
  private async validate(files: ContentFiles): Promise<ContentProblem[]> {
    const live = await this.live();
    if (live && sameContentFiles(live.files, files)) throw new NothingToPublishError(live.version);
    const report = await this.check(files);
    if (report.errors.length > 0) throw new ContentValidationError(report.errors, report.warnings);
    return report.warnings;
  }

  /** The check of one set of files, kept: publishing the draft the console just checked costs no second check. */
  private lastCheck?: { hash: string; report: Promise<ContentCheckReport> };

  private check(files: ContentFiles): Promise<ContentCheckReport> {
    const hash = contentHash(files);
    if (this.lastCheck?.hash !== hash) {
      const report = this.runCheck(files);
      report.catch(() => {
        if (this.lastCheck?.report === report) this.lastCheck = undefined;
      });
      this.lastCheck = { hash, report };
    }
    return this.lastCheck.report;
  }

  private runCheck(files: ContentFiles): Promise<ContentCheckReport> {
    const check = this.options.check ?? {};
    const steps = checkingContentFiles(files, {
      maxReviewAgeDays: check.maxReviewAgeDays ?? 365,
      assetExists: check.assetExists,
      now: this.now(),
    });
    return finishInSlices(steps, { sliceMs: this.options.sliceMs });
  }

  private forgetCheck(key: string, err: unknown): never {
    if (this.checked?.key === key) this.checked = undefined;
    throw err;
  }

  /** Stores files as the next version, counting what changed from the live one (or the seed folder). */
  private async commit(
    files: ContentFiles,
    meta: { by: string; note?: string; kind: VersionKind; rolledBackTo?: number },
  ): Promise<VersionSummary> {
    const live = await this.live();
    if (live && sameContentFiles(live.files, files)) throw new NothingToPublishError(live.version);
    const summary = {
      at: this.now().toISOString(),
      by: meta.by,
      kind: meta.kind,
      ...(meta.note ? { note: meta.note } : {}),
      ...(meta.rolledBackTo !== undefined ? { rolledBackTo: meta.rolledBackTo } : {}),
      changes: diffContent(live?.files ?? this.seedFiles(), files).counts,
    };
    return this.versions.commit(files, summary, live?.version);
  }

  /**
   * After a version went live: a draft without edits follows it (its revision goes up, so an
   * editor who saw the old content gets a conflict, not a silent change); a published draft
   * starts again from what it published. A draft with other edits is left as it is.
   */
  private async afterLiveChange(summary: VersionSummary, publishedRevision?: number): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { item, eTag, draft } = await this.readDraft();
      if (item?.edited && item.revision !== publishedRevision) return;
      const next = this.followingLive(item, draft.revision + 1, {
        at: summary.at,
        by: summary.by,
        kind: summary.kind,
        version: summary.version,
      });
      try {
        await this.replaceDraft(next, eTag, draft.revision);
        return;
      } catch (err) {
        if (!(err instanceof DraftConflictError)) throw err;
      }
    }
  }

  /** A draft item without edits of its own, with one more save in its log. */
  private followingLive(
    item: DraftItem | undefined,
    revision: number,
    save: Pick<DraftSave, 'at' | 'by' | 'kind' | 'version'>,
  ): DraftItem {
    return {
      revision,
      edited: false,
      updatedAt: save.at,
      updatedBy: save.by,
      log: [...(item?.log ?? []), { ...save, revision, fields: [] }].slice(-DRAFT_LOG),
    };
  }

  private async readDraft(): Promise<{ draft: Draft; item?: DraftItem; eTag?: string }> {
    const stored = parseItem(this.draftKey, (await this.store.read([this.draftKey]))[this.draftKey], DraftItemSchema);
    const item = stored?.value;
    if (item?.edited && item.files) return { draft: draftOf(item, item.files), item, eTag: stored?.eTag };
    const live = await this.live();
    const files = live?.files ?? this.seedFiles();
    const draft: Draft = {
      files,
      revision: item?.revision ?? 0,
      ...(live ? { baseVersion: live.version } : {}),
      updatedAt: item?.updatedAt ?? live?.publishedAt ?? this.now().toISOString(),
      updatedBy: item?.updatedBy ?? live?.publishedBy ?? SEED_AUTHOR,
      edited: false,
    };
    return { draft, item, eTag: stored?.eTag };
  }

  /** Writes the draft item if it is still the one read; otherwise reports who saved meanwhile. */
  private async replaceDraft(next: DraftItem, eTag: string | undefined, readRevision: number): Promise<void> {
    if (await writeChecked(this.store, this.options.catalog, this.draftKey, next, eTag)) return;
    const { draft, item } = await this.readDraft();
    throw conflict(readRevision, draft.revision, item);
  }

  private seedFiles(): ContentFiles {
    const { seed } = this.options;
    return typeof seed === 'function' ? seed() : seed;
  }
}

function liveOf(version: ContentVersion): LiveContent {
  return {
    version: version.version,
    files: version.files,
    publishedAt: version.at,
    publishedBy: version.by,
    ...(version.note ? { note: version.note } : {}),
    kind: version.kind,
  };
}

function draftOf(item: DraftItem, files: ContentFiles): Draft {
  return {
    files,
    revision: item.revision,
    ...(item.baseVersion !== undefined ? { baseVersion: item.baseVersion } : {}),
    updatedAt: item.updatedAt,
    updatedBy: item.updatedBy,
    edited: item.edited,
  };
}

function conflict(expected: number, current: number, item: DraftItem | undefined): DraftConflictError {
  return new DraftConflictError(
    expected,
    current,
    (item?.log ?? []).filter((s) => s.revision > expected),
  );
}

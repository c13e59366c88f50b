import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConsultationEngine } from '../consultation/consultationEngine';
import { finishInSlices, Steps } from '../matching/steps';
import { ContentFiles, readContentDir } from './contentFiles';
import {
  ContentSet,
  contentHash,
  formatProblem,
  inspectContent,
  inspectContentFiles,
  InspectOptions,
  loadContent,
} from './contentLoader';

export interface ContentStatus {
  /** `store:v7` while a published version serves, else the content files' hash. */
  version: string;
  /** Where the serving content came from: the state store's published versions, or the content folder. */
  source: 'store' | 'folder';
  /** The published version serving, when the source is the store. */
  storeVersion?: number;
  /** Short hash of the serving content's files, whichever the source. */
  contentHash: string;
  entries: number;
  loadedAt: string;
  lastReloadAt?: string;
  /** The last failed reload, while the previous good content keeps serving. */
  lastError?: { at: string; problems: string[] };
  /** The content folder changed while the store is the source: those edits are not served. */
  folderIgnored?: { at: string; message: string };
}

export interface ContentRuntimeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Published content versions (the ContentStore): the live version's number, cheap to poll, and its files. */
export interface LiveContentSource {
  liveVersion(): Promise<number | undefined>;
  live(): Promise<{ version: number; files: ContentFiles } | undefined>;
}

const DEBOUNCE_MS = 300;

/**
 * Serves the current content and swaps in new content without a pause: a changed set is
 * validated in full, its engine trained in short slices while the old content keeps answering,
 * then swapped in with one assignment, so a patient never meets half-loaded content; a set with
 * problems is refused and the last good one keeps answering.
 *
 * The content comes from the content folder (reloaded when its files change) until a version is
 * published in the state store; from then on the store is the source of truth, every instance
 * follows its live version, and edits to the folder are not served (a warning says so).
 */
export class ContentRuntime {
  private current: ConsultationEngine;
  private readonly loadedAt: string;
  private lastReloadAt?: string;
  private lastError?: ContentStatus['lastError'];
  private folderIgnored?: ContentStatus['folderIgnored'];
  /** The published version serving; undefined while the folder is the source. */
  private storeVersion?: number;
  /** A published version that could not be loaded: not tried again until another is published. */
  private refusedVersion?: number;
  private storeUnreachable = false;
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private syncing?: Promise<boolean>;
  /** The reload under way; another change waits for it, so reloads never overlap. */
  private reloading: Promise<boolean> = Promise.resolve(false);
  /** Stops a reload under way when the runtime closes. */
  private readonly closing = new AbortController();

  /**
   * Loads the content and builds its engine, in slices like a reload (other servers in the
   * process keep answering): the store's live version when one is published, else the folder.
   */
  static async load(
    dir: string,
    build: (content: ContentSet) => Steps<ConsultationEngine>,
    log: ContentRuntimeLog,
    now: () => Date = () => new Date(),
    store?: LiveContentSource,
  ): Promise<ContentRuntime> {
    let refused: { version: number; problems: string[] } | undefined;
    if (store) {
      try {
        const live = await store.live();
        if (live) {
          const { content, problems } = inspectContentFiles(live.files, folderAssets(dir));
          if (content) {
            const runtime = new ContentRuntime(dir, build, log, await finishInSlices(build(content)), now);
            runtime.storeVersion = live.version;
            return runtime;
          }
          refused = { version: live.version, problems: problems.map((p) => formatProblem(p).trim()) };
        }
      } catch (err) {
        log.error(
          { event: 'content-store-unavailable', message: messageOf(err) },
          'cannot read the published content from the state store; serving the content folder until it can',
        );
      }
    }
    const runtime = new ContentRuntime(dir, build, log, await finishInSlices(build(loadContent(dir))), now);
    if (refused) runtime.refuseVersion(refused.version, refused.problems);
    return runtime;
  }

  constructor(
    private readonly dir: string,
    private readonly build: (content: ContentSet) => Steps<ConsultationEngine>,
    private readonly log: ContentRuntimeLog,
    initial: ConsultationEngine,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.current = initial;
    this.loadedAt = this.now().toISOString();
  }

  get engine(): ConsultationEngine {
    return this.current;
  }

  status(): ContentStatus {
    const { content } = this.current;
    return {
      version: this.storeVersion !== undefined ? `store:v${this.storeVersion}` : content.version,
      source: this.storeVersion !== undefined ? 'store' : 'folder',
      ...(this.storeVersion !== undefined ? { storeVersion: this.storeVersion } : {}),
      contentHash: content.version,
      entries: content.faq.length,
      loadedAt: this.loadedAt,
      lastReloadAt: this.lastReloadAt,
      lastError: this.lastError,
      ...(this.folderIgnored ? { folderIgnored: this.folderIgnored } : {}),
    };
  }

  /**
   * Reloads the folder now (after any reload under way); resolves true when new content is
   * serving. While the store is the source, the folder is only compared with what serves.
   */
  reload(): Promise<boolean> {
    return this.queue(() => (this.storeVersion !== undefined ? this.noticeFolderChange() : this.reloadFolder()));
  }

  /** Polls the store's live version every `pollMs` and serves each newly published version. */
  followStore(store: LiveContentSource, pollMs: number): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.syncWithStore(store), pollMs);
    this.pollTimer.unref();
  }

  /** Serves the store's live version if it is not serving yet; resolves true when it is now. Never rejects. */
  syncWithStore(store: LiveContentSource): Promise<boolean> {
    // One check at a time: polls do not pile up behind a build that takes seconds.
    this.syncing ??= this.queue(() => this.syncOnce(store)).finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private queue(work: () => Promise<boolean>): Promise<boolean> {
    const next = this.reloading.then(work);
    this.reloading = next;
    return next;
  }

  private async syncOnce(store: LiveContentSource): Promise<boolean> {
    if (this.closing.signal.aborted) return false;
    const at = this.now().toISOString();
    let live: { version: number; files: ContentFiles } | undefined;
    try {
      const version = await store.liveVersion();
      this.reachable();
      if (version === undefined || version === this.storeVersion || version === this.refusedVersion) return false;
      live = await store.live();
    } catch (err) {
      this.unreachable(err);
      return false;
    }
    if (!live || live.version === this.storeVersion) return false;
    try {
      const { content, problems } = inspectContentFiles(live.files, folderAssets(this.dir));
      if (!content)
        return this.refuseVersion(
          live.version,
          problems.map((p) => formatProblem(p).trim()),
        );
      const swapped = await this.swapIn(content, at);
      this.storeVersion = live.version;
      this.refusedVersion = undefined;
      this.folderIgnored = undefined;
      this.log.info(
        { event: 'content-published-live', storeVersion: live.version, version: content.version, rebuilt: swapped },
        `published content version ${live.version} is live`,
      );
      return true;
    } catch (err) {
      if (this.closing.signal.aborted) return false;
      return this.refuseVersion(live.version, [`the content could not be loaded: ${messageOf(err)}`]);
    }
  }

  /** Never rejects: whatever goes wrong is refused, recorded in `status()`, and the old content keeps serving. */
  private async reloadFolder(): Promise<boolean> {
    if (this.closing.signal.aborted) return false;
    const at = this.now().toISOString();
    try {
      const { content, problems } = inspectContent(this.dir);
      if (!content)
        return this.refuse(
          at,
          problems.map((p) => formatProblem(p).trim()),
        );
      if (content.version === this.current.content.version) {
        // Back to the content that is serving (a broken edit undone): nothing to build, nothing wrong.
        this.lastError = undefined;
        return false;
      }
      await this.swapIn(content, at);
      this.log.info(
        { event: 'content-reloaded', version: content.version, entries: content.faq.length },
        'new content is live',
      );
      return true;
    } catch (err) {
      if (this.closing.signal.aborted) return false;
      return this.refuse(at, [`the content could not be loaded: ${messageOf(err)}`]);
    }
  }

  /** Trains the new engine in slices, then swaps it in with one assignment; false when the files were the same. */
  private async swapIn(content: ContentSet, at: string): Promise<boolean> {
    const rebuilt = content.version !== this.current.content.version;
    if (rebuilt) this.current = await finishInSlices(this.build(content), { signal: this.closing.signal });
    this.lastReloadAt = at;
    this.lastError = undefined;
    return rebuilt;
  }

  /** The folder changed while the store is the source: said once, until the folder matches again. */
  private async noticeFolderChange(): Promise<boolean> {
    let folder: string;
    try {
      folder = contentHash(readContentDir(this.dir));
    } catch {
      return false;
    }
    if (folder === this.current.content.version) {
      this.folderIgnored = undefined;
      return false;
    }
    if (this.folderIgnored) return false;
    const message =
      `the content folder changed, but published content version ${this.storeVersion} from the state store ` +
      'is serving: edits to the folder are not served until they are published (npm run content:publish)';
    this.folderIgnored = { at: this.now().toISOString(), message };
    this.log.warn({ event: 'content-folder-ignored', storeVersion: this.storeVersion, folder }, message);
    return false;
  }

  private refuseVersion(version: number, problems: string[]): false {
    this.refusedVersion = version;
    return this.refuse(this.now().toISOString(), [`published version ${version}:`, ...problems]);
  }

  private refuse(at: string, problems: string[]): false {
    this.lastError = { at, problems };
    this.log.error(
      { event: 'content-reload-failed', problems, serving: this.status().version },
      'content change refused; still serving the last good content',
    );
    return false;
  }

  private unreachable(err: unknown): void {
    if (this.storeUnreachable) return;
    this.storeUnreachable = true;
    this.log.error(
      { event: 'content-store-unavailable', message: messageOf(err) },
      'cannot read the published content version; still serving the current content',
    );
  }

  private reachable(): void {
    if (!this.storeUnreachable) return;
    this.storeUnreachable = false;
    this.log.info({ event: 'content-store-available' }, 'the published content versions can be read again');
  }

  /** Watches the content folder; bursts of file events (an editor saving) become one reload. */
  watch(): void {
    if (this.watcher) return;
    this.watcher = fs.watch(this.dir, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), DEBOUNCE_MS);
    });
    this.watcher.on('error', (err) =>
      this.log.error({ event: 'content-watch-failed', message: err.message }, 'cannot watch content'),
    );
  }

  close(): void {
    this.closing.abort();
    clearTimeout(this.timer);
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** Published content names files (the logo) that live in the content folder. */
function folderAssets(dir: string): InspectOptions {
  return { assetExists: (name) => fs.existsSync(path.join(dir, name)) };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

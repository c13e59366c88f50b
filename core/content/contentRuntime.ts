import * as fs from 'node:fs';
import { ConsultationEngine } from '../consultation/consultationEngine';
import { finishInSlices, Steps } from '../matching/steps';
import { ContentSet, formatProblem, inspectContent, loadContent } from './contentLoader';

export interface ContentStatus {
  version: string;
  entries: number;
  loadedAt: string;
  lastReloadAt?: string;
  /** The last failed reload, while the previous good content keeps serving. */
  lastError?: { at: string; problems: string[] };
}

export interface ContentRuntimeLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const DEBOUNCE_MS = 300;

/**
 * Serves the current content and reloads it when files change: a changed set is validated in
 * full and swapped in with one assignment, so a patient never meets half-loaded content; a set
 * with problems is refused and the last good one keeps answering. Training the new matcher takes
 * seconds, so a reload builds it in short slices and the old content answers meanwhile.
 */
export class ContentRuntime {
  private current: ConsultationEngine;
  private readonly loadedAt: string;
  private lastReloadAt?: string;
  private lastError?: ContentStatus['lastError'];
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  /** The reload under way; another change waits for it, so reloads never overlap. */
  private reloading: Promise<boolean> = Promise.resolve(false);
  /** Stops a reload under way when the runtime closes. */
  private readonly closing = new AbortController();

  /**
   * Loads the folder's content and builds its engine, in slices
   * like a reload (other servers in the process keep answering).
   */
  static async load(
    dir: string,
    build: (content: ContentSet) => Steps<ConsultationEngine>,
    log: ContentRuntimeLog,
    now: () => Date = () => new Date(),
  ): Promise<ContentRuntime> {
    return new ContentRuntime(dir, build, log, await finishInSlices(build(loadContent(dir))), now);
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
    return {
      version: this.current.content.version,
      entries: this.current.content.faq.length,
      loadedAt: this.loadedAt,
      lastReloadAt: this.lastReloadAt,
      lastError: this.lastError,
    };
  }

  /** Reloads now (after any reload under way); resolves true when new content is serving. */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.reloadOnce());
    return this.reloading;
  }

  /** Never rejects: whatever goes wrong is refused, recorded in `status()`, and the old content keeps serving. */
  private async reloadOnce(): Promise<boolean> {
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
      const engine = await finishInSlices(this.build(content), { signal: this.closing.signal });
      this.current = engine;
      this.lastReloadAt = at;
      this.lastError = undefined;
      this.log.info(
        { event: 'content-reloaded', version: content.version, entries: content.faq.length },
        'new content is live',
      );
      return true;
    } catch (err) {
      if (this.closing.signal.aborted) return false;
      return this.refuse(at, [`the content could not be loaded: ${err instanceof Error ? err.message : String(err)}`]);
    }
  }

  private refuse(at: string, problems: string[]): false {
    this.lastError = { at, problems };
    this.log.error(
      { event: 'content-reload-failed', problems, serving: this.current.content.version },
      'content change refused; still serving the last good content',
    );
    return false;
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
    this.watcher?.close();
    this.watcher = undefined;
  }
}

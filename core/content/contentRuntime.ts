import * as fs from 'node:fs';
import { ConsultationEngine } from '../consultation/consultationEngine';
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
 * with problems is refused and the last good one keeps answering.
 */
export class ContentRuntime {
  private current: ConsultationEngine;
  private readonly loadedAt: string;
  private lastReloadAt?: string;
  private lastError?: ContentStatus['lastError'];
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly build: (content: ContentSet) => ConsultationEngine,
    private readonly log: ContentRuntimeLog,
    private readonly now: () => Date = () => new Date(),
    initial?: ConsultationEngine,
  ) {
    this.current = initial ?? this.build(loadContent(dir));
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

  /** Reloads now; returns true when new content is serving. */
  reload(): boolean {
    const at = this.now().toISOString();
    const { content, problems } = inspectContent(this.dir);
    if (!content) {
      this.lastError = { at, problems: problems.map((p) => formatProblem(p).trim()) };
      this.log.error({ event: 'content-reload-failed', problems: this.lastError.problems, serving: this.current.content.version }, 'content change refused; still serving the last good content');
      return false;
    }
    if (content.version === this.current.content.version) return false;
    const engine = this.build(content);
    this.current = engine;
    this.lastReloadAt = at;
    this.lastError = undefined;
    this.log.info({ event: 'content-reloaded', version: content.version, entries: content.faq.length }, 'new content is live');
    return true;
  }

  /** Watches the content folder; bursts of file events (an editor saving) become one reload. */
  watch(): void {
    if (this.watcher) return;
    this.watcher = fs.watch(this.dir, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), DEBOUNCE_MS);
    });
    this.watcher.on('error', (err) => this.log.error({ event: 'content-watch-failed', message: err.message }, 'cannot watch content'));
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}

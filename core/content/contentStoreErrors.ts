import { ContentProblem } from './contentLoader';
import { DraftSave } from './contentStoreItems';

/**
 * The draft was saved by someone else since the editor read it: nothing was written. Carries
 * the saves made meanwhile, so the editor can say who changed what, and reload.
 */
export class DraftConflictError extends Error {
  override readonly name = 'DraftConflictError';
  constructor(
    readonly expectedRevision: number,
    readonly currentRevision: number,
    /** The saves after `expectedRevision`, oldest first (only the last ones the log keeps). */
    readonly changes: DraftSave[],
  ) {
    const who = changes.map((c) => `${c.by} (${c.kind}, ${c.at})`).join(', ');
    super(
      `the draft changed since revision ${expectedRevision}: it is at revision ${currentRevision}` +
        (who ? `, saved by ${who}` : ''),
    );
  }
}

/** Content with errors is never published: the problems say what to fix, each at its file and field. */
export class ContentValidationError extends Error {
  override readonly name = 'ContentValidationError';
  constructor(
    readonly errors: ContentProblem[],
    readonly warnings: ContentProblem[],
  ) {
    super(`the content has ${errors.length} error(s) and cannot be published`);
  }
}

/** Publishing what is live already would only add a version nobody can tell apart. */
export class NothingToPublishError extends Error {
  override readonly name = 'NothingToPublishError';
  constructor(readonly liveVersion: number) {
    super(`nothing changed: version ${liveVersion} is live with this content already`);
  }
}

export class UnknownVersionError extends Error {
  override readonly name = 'UnknownVersionError';
  constructor(readonly version: number) {
    super(`there is no content version ${version}`);
  }
}

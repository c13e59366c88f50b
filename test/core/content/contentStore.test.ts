import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { parse } from 'yaml';
import { ContentFiles } from '../../../core/content/contentFiles';
import { ContentStore, ContentStoreOptions } from '../../../core/content/contentStore';
import {
  ContentValidationError,
  DraftConflictError,
  NothingToPublishError,
  UnknownVersionError,
} from '../../../core/content/contentStoreErrors';
import { DraftEdit } from '../../../core/content/draftEdits';
import { KeyValueStore } from '../../../core/storage/keyValueStore';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { AFTER_REVIEWS, smallContent } from '../../helpers/smallContent';

// Each publish runs content:check, which trains a matcher: seconds on a busy machine.
jest.setTimeout(120_000);

const seed = smallContent();
const entries = (parse(seed['faq.yaml']) as { entries: { id: string }[] }).entries;
const PAIN = entries.findIndex((e) => e.id === 'pain');

const painAnswer = (text: string): DraftEdit => ({
  file: 'faq.yaml',
  path: ['entries', PAIN, 'en', 'answer'],
  value: text,
});
const answerOf = (files: ContentFiles): string =>
  (parse(files['faq.yaml']) as { entries: { en: { answer: string } }[] }).entries[PAIN].en.answer;

/** A clock that moves a minute every time it is read, so saves and versions get distinct times. */
function steppingClock(): () => Date {
  let t = AFTER_REVIEWS.getTime();
  return () => new Date((t += 60_000));
}

describe('ContentStore on MemoryStorage', () => {
  let storage: KeyValueStore;
  let store: ContentStore;
  const open = (options: Partial<ContentStoreOptions> = {}): ContentStore =>
    new ContentStore(storage, { seed, now: steppingClock(), ...options });

  beforeEach(() => {
    storage = new MemoryStorage();
    store = open();
  });

  it('starts the draft from the seed folder when nothing was published', async () => {
    const draft = await store.draft();
    expect(draft).toMatchObject({ revision: 0, edited: false, updatedBy: 'content folder' });
    expect(draft.baseVersion).toBeUndefined();
    expect(draft.files).toEqual(seed);
    expect(await store.liveVersion()).toBeUndefined();
    expect(await store.live()).toBeUndefined();
    expect(await store.history()).toEqual([]);
  });

  it('saves an edit to the draft and moves its revision on', async () => {
    const saved = await store.editDraft([painAnswer('It stings a little.')], { expectedRevision: 0, by: 'Ana' });
    expect(saved).toMatchObject({ revision: 1, edited: true, updatedBy: 'Ana' });
    expect(answerOf(saved.files)).toBe('It stings a little.');
    expect(await store.draft()).toEqual(saved);
    // No edits: nothing saved, the revision stays; on an old revision, still a conflict.
    expect(await store.editDraft([], { expectedRevision: 1, by: 'Ana' })).toEqual(saved);
    await expect(store.editDraft([], { expectedRevision: 0, by: 'Ana' })).rejects.toThrow(DraftConflictError);
  });

  it('refuses an edit on an old revision, saying who changed which field meanwhile, overwriting nothing', async () => {
    await store.editDraft([painAnswer('Ana wrote this.')], { expectedRevision: 0, by: 'Ana' });
    const late = store.editDraft([painAnswer('Ben wrote this.')], { expectedRevision: 0, by: 'Ben' });
    await expect(late).rejects.toThrow(DraftConflictError);
    const err = await late.catch((e: unknown) => e);
    expect(err).toMatchObject({
      expectedRevision: 0,
      currentRevision: 1,
      changes: [
        {
          revision: 1,
          by: 'Ana',
          kind: 'edit',
          at: expect.any(String),
          fields: [{ file: 'faq.yaml', path: ['entries', PAIN, 'en', 'answer'] }],
        },
      ],
    });
    expect(String(err)).toMatch(/saved by Ana \(edit, /);
    expect(answerOf((await store.draft()).files)).toBe('Ana wrote this.');
  });

  it('lets exactly one of two editors saving on the same revision at the same moment win', async () => {
    await store.editDraft([painAnswer('first')], { expectedRevision: 0, by: 'Ana' });
    const results = await Promise.allSettled([
      open().editDraft([painAnswer('Ben')], { expectedRevision: 1, by: 'Ben' }),
      open().editDraft([painAnswer('Cy')], { expectedRevision: 1, by: 'Cy' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(DraftConflictError);
    const draft = await store.draft();
    expect(draft.revision).toBe(2);
    expect(['Ben', 'Cy']).toContain(answerOf(draft.files));
  });

  it('refuses to publish a draft with errors, listing them by field, and publishes nothing', async () => {
    await store.editDraft([{ file: 'faq.yaml', path: ['entries', PAIN, 'en', 'title'], value: '' }], {
      expectedRevision: 0,
      by: 'Ana',
    });
    const refused = await store.publish({ by: 'Ana' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ContentValidationError);
    expect(refused instanceof ContentValidationError && refused.errors).toContainEqual(
      expect.objectContaining({
        file: 'faq.yaml',
        message: 'must not be empty',
        path: ['entries', PAIN, 'en', 'title'],
      }),
    );
    expect(await store.liveVersion()).toBeUndefined();
    expect(await store.history()).toEqual([]);
  });

  it('publishes the draft as version 1 then 2, each in the history with who, when, why and what changed', async () => {
    const saved = await store.editDraft([painAnswer('Version one.')], { expectedRevision: 0, by: 'Ana' });
    const first = await store.publish({ by: 'Ana', note: 'clearer pain answer', expectedRevision: saved.revision });
    expect(first.summary).toMatchObject({
      version: 1,
      by: 'Ana',
      kind: 'publish',
      note: 'clearer pain answer',
      changes: { entriesAdded: 0, entriesRemoved: 0, entriesChanged: 1, files: [] },
    });
    expect(first.warnings).toContainEqual(expect.objectContaining({ file: 'clinic.yaml' }));
    expect(await store.liveVersion()).toBe(1);
    const live = await store.live();
    expect(live).toMatchObject({ version: 1, publishedBy: 'Ana', note: 'clearer pain answer', kind: 'publish' });
    expect(answerOf(live?.files ?? {})).toBe('Version one.');
    // The published draft starts again from what it published.
    expect(await store.draft()).toMatchObject({ edited: false, baseVersion: 1, revision: 2 });

    await store.editDraft([painAnswer('Version two.')], { expectedRevision: 2, by: 'Ben' });
    const second = await store.publish({ by: 'Ben' });
    expect(second.summary.version).toBe(2);
    const history = await store.history();
    expect(history.map((h) => [h.version, h.by, h.kind])).toEqual([
      [2, 'Ben', 'publish'],
      [1, 'Ana', 'publish'],
    ]);
    expect(Date.parse(history[0].at)).toBeGreaterThan(Date.parse(history[1].at));
    expect(answerOf((await store.version(1))?.files ?? {})).toBe('Version one.');
  });

  it('publishes only the draft the publisher saw', async () => {
    await store.editDraft([painAnswer('seen')], { expectedRevision: 0, by: 'Ana' });
    await store.editDraft([painAnswer('not seen')], { expectedRevision: 1, by: 'Ben' });
    await expect(store.publish({ by: 'Ana', expectedRevision: 1 })).rejects.toThrow(DraftConflictError);
    expect(await store.liveVersion()).toBeUndefined();
  });

  it('does not publish a version identical to the live one', async () => {
    await store.importFiles(seed, { by: 'IT' });
    await expect(store.importFiles(seed, { by: 'IT' })).rejects.toThrow(NothingToPublishError);
    expect((await store.history()).map((h) => h.version)).toEqual([1]);
  });

  it('gives two publishers at the same moment different version numbers, and the later one is live', async () => {
    await store.importFiles(seed, { by: 'IT' });
    const a = { ...seed, 'faq.yaml': seed['faq.yaml'].replace('Most people', 'A says most people') };
    const b = { ...seed, 'faq.yaml': seed['faq.yaml'].replace('Most people', 'B says most people') };
    const [ra, rb] = await Promise.all([open().importFiles(a, { by: 'Ana' }), open().importFiles(b, { by: 'Ben' })]);
    expect([ra.summary.version, rb.summary.version].sort()).toEqual([2, 3]);
    expect((await store.history()).map((h) => h.version)).toEqual([3, 2, 1]);
    expect(await store.liveVersion()).toBe(3);
    for (const [result, files] of [
      [ra, a],
      [rb, b],
    ] as const) {
      expect((await store.version(result.summary.version))?.files).toEqual(files);
    }
  });

  it('shows what changed between two versions, by entry and field', async () => {
    await store.importFiles(seed, { by: 'IT' });
    await store.editDraft([painAnswer('It stings.')], { expectedRevision: 1, by: 'Ana' });
    expect((await store.diffDraft()).entries).toEqual([
      expect.objectContaining({
        id: 'pain',
        change: 'changed',
        fields: [expect.objectContaining({ field: 'answer', lang: 'en', after: 'It stings.' })],
      }),
    ]);
    await store.publish({ by: 'Ana' });
    const diff = await store.diff(1, 2);
    expect(diff.entries).toHaveLength(1);
    expect(diff.entries[0].fields[0]).toMatchObject({ field: 'answer', lang: 'en', after: 'It stings.' });
    await expect(store.diff(1, 9)).rejects.toThrow(UnknownVersionError);
  });

  it('rolls back by publishing a copy of an old version, and an editor who saw the newer one is told', async () => {
    await store.importFiles(seed, { by: 'IT' });
    await store.editDraft([painAnswer('Newer.')], { expectedRevision: 1, by: 'Ana' });
    await store.publish({ by: 'Ana' });
    const seenRevision = (await store.draft()).revision;

    const { summary } = await store.rollback(1, { by: 'Ben' });
    expect(summary).toMatchObject({
      version: 3,
      kind: 'rollback',
      rolledBackTo: 1,
      note: 'rollback to version 1',
      by: 'Ben',
    });
    expect((await store.live())?.files).toEqual(seed);
    const draft = await store.draft();
    expect(draft).toMatchObject({ edited: false, baseVersion: 3 });
    expect(draft.files).toEqual(seed);
    const err = await store
      .editDraft([painAnswer('stale')], { expectedRevision: seenRevision, by: 'Ana' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DraftConflictError);
    expect(err instanceof DraftConflictError && err.changes.map((c) => [c.kind, c.by, c.version])).toEqual([
      ['rollback', 'Ben', 3],
    ]);
    await expect(store.rollback(42, { by: 'Ben' })).rejects.toThrow(UnknownVersionError);
  });

  it('imports files the file way as a version of its own kind', async () => {
    const { summary } = await store.importFiles(seed, { by: 'IT (content:publish)', note: 'from git' });
    expect(summary).toMatchObject({ version: 1, kind: 'file-import', note: 'from git' });
    expect((await store.history())[0].kind).toBe('file-import');
  });

  it('keeps a draft with unpublished edits when another version goes live, and discards it on request', async () => {
    await store.importFiles(seed, { by: 'IT' });
    const edited = await store.editDraft([painAnswer('Work in progress.')], { expectedRevision: 1, by: 'Ana' });
    await store.importFiles({ ...seed, 'menu.yaml': `${seed['menu.yaml']}# imported\n` }, { by: 'IT' });
    expect(await store.draft()).toEqual(edited);

    const discarded = await store.discardDraft({ by: 'Ana', expectedRevision: edited.revision });
    expect(discarded).toMatchObject({ edited: false, baseVersion: 2, revision: edited.revision + 1, updatedBy: 'Ana' });
    expect(discarded.files['menu.yaml']).toMatch(/# imported\n$/);
  });

  it('checks the draft with content:check, once per revision', async () => {
    await store.editDraft([{ file: 'faq.yaml', path: ['entries', PAIN, 'reviewed'], value: '2099-01-01' }], {
      expectedRevision: 0,
      by: 'Ana',
    });
    const checked = await store.checkDraft();
    expect(checked.revision).toBe(1);
    expect(checked.report.errors).toContainEqual(
      expect.objectContaining({
        message: 'the review date 2099-01-01 is in the future',
        path: ['entries', PAIN, 'reviewed'],
      }),
    );
    expect((await store.checkDraft()).report).toBe(checked.report);
  });
});

describe('ContentStore on sqlite', () => {
  let dir: string;
  let sqlite: SqliteStorage;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-store-'));
    sqlite = new SqliteStorage(path.join(dir, 'state.sqlite'));
  });
  afterEach(() => {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = (): ContentStore => new ContentStore(sqlite, { seed, now: steppingClock(), catalog: sqlite });

  it('gives the very first two publishers different numbers (create-only index)', async () => {
    const a = { ...seed, 'faq.yaml': seed['faq.yaml'].replace('Most people', 'A says most people') };
    const b = { ...seed, 'faq.yaml': seed['faq.yaml'].replace('Most people', 'B says most people') };
    const results = await Promise.all([open().importFiles(a, { by: 'Ana' }), open().importFiles(b, { by: 'Ben' })]);
    expect(results.map((r) => r.summary.version).sort()).toEqual([1, 2]);
    expect(await open().liveVersion()).toBe(2);
  });

  it('lets exactly one of two first edits create the draft', async () => {
    const results = await Promise.allSettled([
      open().editDraft([painAnswer('Ana')], { expectedRevision: 0, by: 'Ana' }),
      open().editDraft([painAnswer('Ben')], { expectedRevision: 0, by: 'Ben' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('keeps versions, history and the draft across a restart', async () => {
    await open().editDraft([painAnswer('Kept.')], { expectedRevision: 0, by: 'Ana' });
    await open().publish({ by: 'Ana' });
    sqlite.close();
    sqlite = new SqliteStorage(path.join(dir, 'state.sqlite'));
    const reopened = open();
    expect(await reopened.liveVersion()).toBe(1);
    expect(answerOf((await reopened.live())?.files ?? {})).toBe('Kept.');
    expect((await reopened.history()).map((h) => h.version)).toEqual([1]);
    expect(await reopened.draft()).toMatchObject({ revision: 2, baseVersion: 1, edited: false });
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { parse } from 'yaml';
import { App, createApp } from '../../bot/app';
import { writeContentDir } from '../../core/content/contentFiles';
import { Azurite } from '../helpers/azurite';
import { CONTENT_DIR } from '../helpers/content';
import { smallContent } from '../helpers/smallContent';
import { messageActivity, postActivity, replyTexts, testConfig } from '../helpers/testApp';
import { until } from '../helpers/until';

// Each instance trains the published content's matcher: seconds on a busy machine.
jest.setTimeout(180_000);

/**
 * Two bot instances sharing one Azure Blob container (Azurite): content published through the
 * ContentStore of one reaches both within the poll interval, and so does a rollback.
 */
describe('publishing content to two instances', () => {
  const POLL_MS = 100;
  let azurite: Azurite;
  let dir: string;
  let apps: App[] = [];
  let bases: string[] = [];
  const seed = smallContent();
  const painAt = (parse(seed['faq.yaml']) as { entries: { id: string }[] }).entries.findIndex((e) => e.id === 'pain');

  beforeAll(async () => {
    azurite = await Azurite.start();
    // The small content (a few entries), with the brand folder its clinic.yaml names.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-publish-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    writeContentDir(dir, seed);
    const config = testConfig({
      CONTENT_DIR: dir,
      STATE_STORE: 'azure-blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: 'content-publish',
      CONTENT_POLL_MS: String(POLL_MS),
    });
    apps = [
      await createApp(config, { log: pino({ level: 'silent' }) }),
      await createApp(config, { log: pino({ level: 'silent' }) }),
    ];
    bases = [];
    for (const app of apps) bases.push(`http://127.0.0.1:${(await app.listen()).port}`);
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await azurite?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let sequence = 0;
  const painReply = async (base: string): Promise<string> =>
    (
      await replyTexts(
        await postActivity(base, messageActivity('does it hurt?', { conversation: { id: `c-${++sequence}` } })),
      )
    ).join('\n');
  const readiness = async (base: string): Promise<{ contentVersion: string; contentSource: string }> =>
    (await (await fetch(`${base}/readyz`)).json()) as { contentVersion: string; contentSource: string };
  const bothAnswer = (text: string): Promise<void> =>
    until(
      async () => (await Promise.all(bases.map(painReply))).every((reply) => reply.includes(text)),
      `both instances to answer with "${text}"`,
      60_000,
    );

  it('serves a published answer on every instance within seconds, then the rollback', async () => {
    for (const base of bases) {
      expect(await painReply(base)).toContain('Most people feel only slight discomfort');
      expect(await readiness(base)).toMatchObject({ contentSource: 'folder' });
    }
    const contents = apps[0].contentStore;

    // The folder as version 1, then the console's edit as version 2.
    await contents.importFiles(seed, { by: 'IT' });
    const draft = await contents.draft();
    await contents.editDraft(
      [{ file: 'faq.yaml', path: ['entries', painAt, 'en', 'answer'], value: 'Published from the console.' }],
      { expectedRevision: draft.revision, by: 'Ana' },
    );
    const { summary } = await contents.publish({ by: 'Ana', note: 'clearer answer' });
    expect(summary.version).toBe(2);

    await bothAnswer('Published from the console.');
    for (const base of bases)
      expect(await readiness(base)).toMatchObject({ contentVersion: 'store:v2', contentSource: 'store' });

    // A rollback from the other instance's store reaches both as well.
    const rolledBack = await apps[1].contentStore.rollback(1, { by: 'Ben' });
    expect(rolledBack.summary).toMatchObject({ version: 3, kind: 'rollback', rolledBackTo: 1 });
    await bothAnswer('Most people feel only slight discomfort');
    for (const base of bases) expect((await readiness(base)).contentVersion).toBe('store:v3');
    expect((await apps[1].contentStore.history()).map((h) => [h.version, h.kind])).toEqual([
      [3, 'rollback'],
      [2, 'publish'],
      [1, 'file-import'],
    ]);
  });
});

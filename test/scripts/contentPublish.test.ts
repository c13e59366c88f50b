import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeContentDir } from '../../core/content/contentFiles';
import { ContentStore } from '../../core/content/contentStore';
import { SqliteStorage } from '../../core/storage/sqliteStorage';
import { CONTENT_DIR } from '../helpers/content';
import { runContentScript } from '../helpers/contentCli';
import { smallContent } from '../helpers/smallContent';

// Each run starts tsx and checks the content (training a matcher).
jest.setTimeout(120_000);

describe('npm run content:publish', () => {
  let tmp: string;
  let settings: { sqlitePath: string; dataDir: string; contentDir: string };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'content-publish-cli-'));
    const contentDir = path.join(tmp, 'content');
    fs.cpSync(CONTENT_DIR, contentDir, { recursive: true });
    writeContentDir(contentDir, smallContent());
    settings = { sqlitePath: path.join(tmp, 'state.sqlite'), dataDir: tmp, contentDir };
    new SqliteStorage(settings.sqlitePath).close();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const published = async (): Promise<{ live?: number; kinds: string[] }> => {
    const sqlite = new SqliteStorage(settings.sqlitePath);
    try {
      const store = new ContentStore(sqlite, { seed: {} });
      return {
        live: await store.liveVersion(),
        kinds: (await store.history()).map((h) => `${h.version}:${h.kind}:${h.by}`),
      };
    } finally {
      sqlite.close();
    }
  };

  it('publishes the content folder as a version of kind file-import, then does nothing the second time', async () => {
    const run = runContentScript('contentPublish', ['--by', 'Ana (IT)', '--note', 'from git'], settings);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('✓ published as content version 1');
    expect(run.stdout).toContain('warning(s) — published anyway');
    expect(await published()).toEqual({ live: 1, kinds: ['1:file-import:Ana (IT)'] });

    const again = runContentScript('contentPublish', ['--by', 'Ana (IT)'], settings);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing to publish: version 1 is live with exactly these files.');
  });

  it('refuses a folder with errors, listing each with its fix, and publishes nothing', async () => {
    const broken = path.join(tmp, 'broken');
    fs.cpSync(settings.contentDir, broken, { recursive: true });
    const faq = path.join(broken, 'faq.yaml');
    fs.writeFileSync(faq, fs.readFileSync(faq, 'utf8').replace('title: Does it hurt?', 'title: ""'));
    const run = runContentScript('contentPublish', ['--by', 'Ana (IT)', '--dir', broken], settings);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('✗ 1 error(s) — nothing was published');
    expect(run.stdout).toMatch(/faq\.yaml:\d+ \(entries → "pain" → en → title\): must not be empty\n {4}fix: /);
    expect((await published()).live).toBe(1);
  });

  it('needs to know who publishes', () => {
    const run = runContentScript('contentPublish', [], settings);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('say who publishes: --by <name>');
  });
});

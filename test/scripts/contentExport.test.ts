import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readContentDir } from '../../core/content/contentFiles';
import { ContentStore } from '../../core/content/contentStore';
import { SqliteStorage } from '../../core/storage/sqliteStorage';
import { CONTENT_DIR } from '../helpers/content';
import { runContentScript } from '../helpers/contentCli';
import { smallContent } from '../helpers/smallContent';

// Each run starts tsx.
jest.setTimeout(120_000);

describe('npm run content:export', () => {
  let tmp: string;
  let settings: { sqlitePath: string; dataDir: string; contentDir: string };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'content-export-cli-'));
    settings = { sqlitePath: path.join(tmp, 'state.sqlite'), dataDir: tmp, contentDir: path.join(tmp, 'content') };
    fs.cpSync(CONTENT_DIR, settings.contentDir, { recursive: true });
    new SqliteStorage(settings.sqlitePath).close();
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('says so when nothing is published yet', () => {
    const run = runContentScript('contentExport', [], settings);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Nothing is published in .*state\.sqlite yet/);
  });

  it('writes the live version into a folder, file by file', async () => {
    const sqlite = new SqliteStorage(settings.sqlitePath);
    const files = smallContent();
    try {
      await new ContentStore(sqlite, { seed: files }).importFiles(files, { by: 'Ana' });
    } finally {
      sqlite.close();
    }
    const out = path.join(tmp, 'exported');
    const run = runContentScript('contentExport', ['--out', out], settings);
    expect(run.status).toBe(0);
    const count = Object.keys(files).length;
    expect(run.stdout).toMatch(
      new RegExp(`Wrote content version 1 \\(published .* by Ana\\) to .*exported: ${count} file\\(s\\) changed`),
    );
    expect(readContentDir(out)).toEqual(files);
  });
});

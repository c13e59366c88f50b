import { MemoryStorage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGapStore, GapRecorder, MemoryGapStore } from '../../../core/gaps/gapLog';
import { GapRecord } from '../../../core/gaps/gapReport';
import { StoreGapStore } from '../../../core/gaps/storeGapStore';
import { BlobCatalog } from '../../../core/storage/blobCatalog';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { Azurite } from '../../helpers/azurite';

const NOW = new Date('2026-03-05T15:00:00Z');

function gap(id: string, at: string, text = `question ${id}`): GapRecord {
  return { id, at, lang: 'en', text, kind: 'fallback' };
}

describe('the gap log in the state store', () => {
  it('keeps records in one item per UTC day and reads the retention window back, oldest day first', async () => {
    const storage = new MemoryStorage();
    const gaps = new StoreGapStore(storage, { days: 180, now: () => NOW });
    await gaps.append([gap('b', '2026-03-05T00:10:00.000Z'), gap('a', '2026-03-04T23:50:00.000Z')]);
    await gaps.append([gap('c', '2026-03-05T14:00:00.000Z'), gap('old', '2025-09-01T10:00:00.000Z')]);
    const items = await storage.read(['gaps/2026-03-04', 'gaps/2026-03-05', 'gaps/2025-09-01']);
    expect(Object.keys(items).sort()).toEqual(['gaps/2025-09-01', 'gaps/2026-03-04', 'gaps/2026-03-05']);
    // 2025-09-01 is more than 180 days back: the sweep's to delete, not the report's to read.
    expect((await gaps.all()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps a record once when its batch is appended again (a retried write)', async () => {
    const gaps = new StoreGapStore(new MemoryStorage(), { days: 30, now: () => NOW });
    const batch = [gap('x', '2026-03-05T10:00:00.000Z'), gap('y', '2026-03-05T10:01:00.000Z')];
    await gaps.append(batch);
    await gaps.append([...batch, gap('z', '2026-03-05T10:02:00.000Z')]);
    expect((await gaps.all()).map((r) => r.id)).toEqual(['x', 'y', 'z']);
  });

  it('stops a day at 5,000 questions and counts the rest, so a flood cannot grow an item without end', async () => {
    const storage = new MemoryStorage();
    const gaps = new StoreGapStore(storage, { days: 30, now: () => NOW });
    const flood = Array.from({ length: 5_010 }, (_, i) => gap(`f${i}`, '2026-03-05T10:00:00.000Z', 'junk'));
    await gaps.append(flood);
    expect(await gaps.all()).toHaveLength(5_000);
    expect((await storage.read(['gaps/2026-03-05']))['gaps/2026-03-05']).toMatchObject({ dropped: 10 });
  });

  it('reads every day kept, whatever its date, where the store can list (sqlite)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gap-store-'));
    const storage = new SqliteStorage(path.join(dir, 'state.sqlite'));
    try {
      const gaps = new StoreGapStore(storage, { days: 1, now: () => NOW, catalog: storage });
      await gaps.append([gap('old', '2024-01-01T10:00:00.000Z'), gap('new', '2026-03-05T10:00:00.000Z')]);
      expect((await gaps.all()).map((r) => r.id)).toEqual(['old', 'new']);
    } finally {
      storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives every recorded question its own id', async () => {
    const store = new MemoryGapStore();
    const recorder = new GapRecorder(store, () => NOW);
    recorder.record({ text: 'do you do botox', lang: 'en', kind: 'fallback' });
    recorder.record({ text: 'do you do botox', lang: 'en', kind: 'fallback' });
    await recorder.flush();
    const [a, b] = store.records;
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.id).not.toBe(a.id);
  });
});

describe('a gaps.jsonl left by an older version', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gap-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is moved into the store once: a move interrupted before the file was deleted adds nothing twice', async () => {
    const file = path.join(dir, 'gaps.jsonl');
    const lines =
      `${JSON.stringify({ at: '2026-03-01T10:00:00.000Z', lang: 'en', text: 'botox?', kind: 'fallback' })}\n` +
      `${JSON.stringify({ at: '2026-03-01T10:00:00.000Z', lang: 'en', text: 'botox?', kind: 'fallback' })}\n` +
      'not json\n';
    fs.writeFileSync(file, lines);
    const ids = (await new FileGapStore(file).all()).map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect((await new FileGapStore(file).all()).map((r) => r.id)).toEqual(ids);

    const target = new StoreGapStore(new MemoryStorage(), { days: 30, now: () => NOW });
    expect(await new FileGapStore(file).moveTo(target)).toBe(2);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, lines);
    await new FileGapStore(file).moveTo(target);
    expect((await target.all()).map((r) => r.id)).toEqual(ids);
  });
});

describe('the gap log on Azure Blob Storage (Azurite), written by two instances', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await Azurite.start();
  }, 60_000);
  afterAll(() => azurite?.stop());

  it("keeps every instance's questions when both start the same day's item and append at the same moment", async () => {
    const instances = [0, 1].map(
      () =>
        new StoreGapStore(new BlobsStorage(azurite.connectionString, 'gaps-two'), {
          days: 30,
          now: () => NOW,
          catalog: new BlobCatalog(azurite.connectionString, 'gaps-two'),
        }),
    );
    const batches = Array.from({ length: 8 }, (_, i) => [
      gap(`${i}-a`, '2026-03-05T10:00:00.000Z', `¿cuánto cuesta? ${i}`),
      gap(`${i}-b`, '2026-03-05T10:00:01.000Z'),
    ]);
    await Promise.all(batches.map((batch, i) => instances[i % 2].append(batch)));
    const kept = (await instances[0].all()).map((r) => r.id).sort();
    expect(kept).toEqual(
      batches
        .flat()
        .map((r) => r.id)
        .sort(),
    );
    expect((await instances[1].all()).find((r) => r.id === '0-a')?.text).toBe('¿cuánto cuesta? 0');
  });
});

import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { BlobCatalog, blobNameOf } from '../../../core/storage/blobCatalog';
import { CatalogEntry } from '../../../core/storage/storeCatalog';
import { Azurite } from '../../helpers/azurite';

async function listed(catalog: BlobCatalog, prefix: string): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  for await (const entry of catalog.list(prefix)) entries.push(entry);
  return entries;
}

describe('blob names', () => {
  it.each([
    'webchat/conversations/abc/',
    'msteams/users/29:1Ab-cD_e/',
    'directline/activity/x|y/0000001',
    'gaps/2026-03-05',
    'a//b///c',
    '/leading',
    'señora día 3',
  ])('are the ones BlobsStorage gives "%s"', (key) => {
    expect(blobNameOf(key)).toBe(sanitizeBlobKey(key));
  });
});

describe('BlobCatalog on Azure Blob Storage (Azurite)', () => {
  let azurite: Azurite;
  let container = 0;
  beforeAll(async () => {
    azurite = await Azurite.start();
  }, 60_000);
  afterAll(() => azurite?.stop());

  /** A fresh container, as BlobsStorage and the catalog of one deployment see it. */
  function deployment(): { storage: BlobsStorage; catalog: BlobCatalog } {
    const name = `catalog-${++container}`;
    return {
      storage: new BlobsStorage(azurite.connectionString, name),
      catalog: new BlobCatalog(azurite.connectionString, name),
    };
  }

  it('lists what BlobsStorage wrote under a prefix, with the eTag a read gives and the last write time', async () => {
    const { storage, catalog } = deployment();
    await storage.write({
      'webchat/conversations/c1/': { memory: { treatmentDate: '2026-03-01' } },
      'webchat/users/p1/': { profile: { language: 'es' } },
      'gaps/2026-03-05': { records: [{ text: '¿hacéis peelings?' }] },
    });
    const all = await listed(catalog, '');
    expect(all.map((e) => e.key).sort()).toEqual(['gaps/2026-03-05', 'webchat/conversations/c1', 'webchat/users/p1']);
    const conversation = all.find((e) => e.key === 'webchat/conversations/c1');
    const read = await storage.read(['webchat/conversations/c1/']);
    expect(conversation?.eTag).toBe(read['webchat/conversations/c1/'].eTag);
    expect(conversation?.lastModified).toBeInstanceOf(Date);
    expect((await listed(catalog, 'webchat/')).map((e) => e.key).sort()).toEqual([
      'webchat/conversations/c1',
      'webchat/users/p1',
    ]);
    // Spanish text survives the round trip (BlobsStorage reads what the catalog created, too).
    expect(await catalog.createIfAbsent('gaps/2026-03-06', { records: [{ text: 'día 3, ¿es normal?' }] })).toBe(true);
    expect((await storage.read(['gaps/2026-03-06']))['gaps/2026-03-06']).toMatchObject({
      records: [{ text: 'día 3, ¿es normal?' }],
    });
  });

  it('lists an empty container before anything was written', async () => {
    expect(await listed(deployment().catalog, '')).toEqual([]);
  });

  it('deletes a blob only while it is as listed, and only once when two instances ask at the same moment', async () => {
    const { storage, catalog } = deployment();
    const other = new BlobCatalog(azurite.connectionString, `catalog-${container}`);
    await storage.write({ k: { v: 1 }, changed: { v: 1 } });
    const entries = await listed(catalog, '');
    const changed = entries.find((e) => e.key === 'changed');
    const k = entries.find((e) => e.key === 'k');
    if (!changed || !k) throw new Error('not listed');
    await storage.write({ changed: { v: 2 } });
    expect(await catalog.deleteIfUnchanged(changed.key, changed.eTag)).toBe(false);
    expect((await storage.read(['changed'])).changed).toMatchObject({ v: 2 });
    const both = await Promise.all([catalog.deleteIfUnchanged(k.key, k.eTag), other.deleteIfUnchanged(k.key, k.eTag)]);
    expect(both.sort()).toEqual([false, true]);
    expect(await storage.read(['k'])).toEqual({});
  });

  it('creates a blob only when none has its name, also when two instances try at once', async () => {
    const { storage, catalog } = deployment();
    const other = new BlobCatalog(azurite.connectionString, `catalog-${container}`);
    const both = await Promise.all([
      catalog.createIfAbsent('retention/lease', { owner: 'a' }),
      other.createIfAbsent('retention/lease', { owner: 'b' }),
    ]);
    expect([...both].sort()).toEqual([false, true]);
    const owner = (await storage.read(['retention/lease']))['retention/lease'].owner;
    expect(owner).toBe(both[0] ? 'a' : 'b');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationState, TurnContext, TestAdapter } from 'botbuilder';
import { isETagConflict } from '../../../core/storage/keyValueStore';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';

describe('SqliteStorage', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-'));
    file = path.join(dir, 'nested', 'state.sqlite');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps items across reopening the file, with an eTag on every read', async () => {
    const store = new SqliteStorage(file);
    await store.write({ 'a/1': { text: 'señora, día 3', n: 1 } });
    store.close();
    const again = new SqliteStorage(file);
    const items = await again.read(['a/1', 'missing']);
    expect(items['a/1']).toMatchObject({ text: 'señora, día 3', n: 1 });
    expect(typeof items['a/1'].eTag).toBe('string');
    expect(items.missing).toBeUndefined();
    expect(again['db'].pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });

  it('rejects a write with a stale eTag and accepts the current one', async () => {
    const store = new SqliteStorage(file);
    await store.write({ k: { v: 1 } });
    const first = (await store.read(['k'])).k;
    await store.write({ k: { v: 2, eTag: first.eTag } });
    const stale = store.write({ k: { v: 3, eTag: first.eTag } });
    await expect(stale).rejects.toThrow(/eTag conflict/);
    await stale.catch((err: unknown) => expect(isETagConflict(err)).toBe(true));
    expect((await store.read(['k'])).k.v).toBe(2);
    store.close();
  });

  it('overwrites with "*" whatever the stored eTag', async () => {
    const store = new SqliteStorage(file);
    await store.write({ k: { v: 1 } });
    await store.write({ k: { v: 9, eTag: '*' } });
    expect((await store.read(['k'])).k.v).toBe(9);
    store.close();
  });

  it('rejects the whole write when one item in it is stale', async () => {
    const store = new SqliteStorage(file);
    await store.write({ a: { v: 1 }, b: { v: 1 } });
    const stale = (await store.read(['b'])).b.eTag;
    await store.write({ b: { v: 2 } });
    await expect(store.write({ a: { v: 5 }, b: { v: 5, eTag: stale } })).rejects.toThrow(/eTag conflict/);
    expect((await store.read(['a'])).a.v).toBe(1);
    store.close();
  });

  it('deletes items and lists keys by prefix', async () => {
    const store = new SqliteStorage(file);
    await store.write({
      'bookings/requests/1': { v: 1 },
      'bookings/requests/2': { v: 2 },
      'bookings/index': { v: 0 },
      'webchat/users/x': {},
    });
    expect(await store.keys('bookings/requests/')).toEqual(['bookings/requests/1', 'bookings/requests/2']);
    await store.delete(['bookings/requests/1', 'never-there']);
    expect(await store.keys('bookings/requests/')).toEqual(['bookings/requests/2']);
    store.close();
  });

  it('sees writes made by another connection to the same file (two processes on one disk)', async () => {
    const a = new SqliteStorage(file);
    const b = new SqliteStorage(file);
    await a.write({ k: { v: 1 } });
    const read = (await b.read(['k'])).k;
    await a.write({ k: { v: 2, eTag: read.eTag } });
    await expect(b.write({ k: { v: 3, eTag: read.eTag } })).rejects.toThrow(/eTag conflict/);
    a.close();
    b.close();
  });

  it('serves as botbuilder state storage', async () => {
    const store = new SqliteStorage(file);
    const state = new ConversationState(store);
    const counter = state.createProperty<number>('count');
    const adapter = new TestAdapter(async (context: TurnContext) => {
      await counter.set(context, (await counter.get(context, 0)) + 1);
      await state.saveChanges(context);
      await context.sendActivity(String(await counter.get(context, 0)));
    });
    await adapter.send('one').assertReply('1').send('two').assertReply('2');
    store.close();
  });
});

describe('SqliteStorage as a catalog (retention sweep, gap log)', () => {
  let dir: string;
  let file: string;
  let clock: number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-catalog-'));
    file = path.join(dir, 'state.sqlite');
    clock = Date.parse('2026-03-05T15:00:00Z');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function listed(store: SqliteStorage, prefix: string): Promise<{ key: string; eTag: string; at: string }[]> {
    const entries = [];
    for await (const e of store.list(prefix))
      entries.push({ key: e.key, eTag: e.eTag, at: e.lastModified.toISOString() });
    return entries;
  }

  it('lists the items under a prefix, page after page, with their eTag and the time of their last write', async () => {
    const store = new SqliteStorage(file, () => clock);
    const many = Object.fromEntries(
      Array.from({ length: 1203 }, (_, i) => [`a/${String(i).padStart(4, '0')}`, { i }] as const),
    );
    await store.write(many);
    clock += 60_000;
    await store.write({ 'a/0007': { i: 'again' }, 'b/1': {} });
    const all = await listed(store, 'a/');
    expect(all).toHaveLength(1203);
    expect(all.map((e) => e.key)).toEqual(Object.keys(many).sort());
    expect(all.find((e) => e.key === 'a/0007')?.at).toBe('2026-03-05T15:01:00.000Z');
    expect(all.find((e) => e.key === 'a/0008')?.at).toBe('2026-03-05T15:00:00.000Z');
    expect(all.find((e) => e.key === 'a/0007')?.eTag).toBe((await store.read(['a/0007']))['a/0007'].eTag);
    expect((await listed(store, '')).length).toBe(1204);
    store.close();
  });

  it('deletes an item only while it is as listed, and only once when two ask at the same moment', async () => {
    const store = new SqliteStorage(file, () => clock);
    await store.write({ k: { v: 1 }, changed: { v: 1 } });
    const [changed, k] = await listed(store, '');
    await store.write({ changed: { v: 2 } });
    expect(await store.deleteIfUnchanged(changed.key, changed.eTag)).toBe(false);
    expect((await store.read(['changed'])).changed.v).toBe(2);
    const both = await Promise.all([store.deleteIfUnchanged(k.key, k.eTag), store.deleteIfUnchanged(k.key, k.eTag)]);
    expect(both.sort()).toEqual([false, true]);
    expect(await store.read(['k'])).toEqual({});
    store.close();
  });

  it('creates an item only when no item has its key', async () => {
    const store = new SqliteStorage(file, () => clock);
    expect(await store.createIfAbsent('lease', { owner: 'a', eTag: '*' })).toBe(true);
    expect(await store.createIfAbsent('lease', { owner: 'b' })).toBe(false);
    expect((await store.read(['lease'])).lease).toMatchObject({ owner: 'a' });
    store.close();
  });
});

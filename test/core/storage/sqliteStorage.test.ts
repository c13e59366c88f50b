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

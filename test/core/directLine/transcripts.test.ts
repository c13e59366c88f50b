import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { Transcripts } from '../../../core/directLine/transcripts';

const message = (text: string) => ({ type: 'message', text });

describe('Direct Line transcripts', () => {
  it('number activities as Direct Line does and return those after a watermark', async () => {
    const t = new Transcripts(new MemoryStorage(), { historyMs: 60_000, maxActivities: 100, cacheSize: 10 });
    expect(await t.open('c1', 'u1')).toBe(true);
    expect(await t.open('c1', 'u1')).toBe(false);
    const stored = await t.append('c1', [message('a'), message('b')]);
    expect(stored.map((a) => a.id)).toEqual(['c1|0000000', 'c1|0000001']);
    await t.append('c1', [message('c')]);
    expect(await t.since('c1', 1)).toMatchObject({ activities: [{ text: 'b' }, { text: 'c' }], watermark: '3' });
    expect(await t.since('c1', 3)).toEqual({ activities: [], watermark: '3' });
    expect(await t.since('unknown', 0)).toBeUndefined();
  });

  it('survive a restart through the state store', async () => {
    const storage = new MemoryStorage();
    const before = new Transcripts(storage, { historyMs: 60_000, maxActivities: 100, cacheSize: 10 });
    await before.open('c1', 'u1');
    await before.append('c1', [message('hello')]);
    const after = new Transcripts(storage, { historyMs: 60_000, maxActivities: 100, cacheSize: 10 });
    expect(await after.since('c1', 0)).toMatchObject({ activities: [{ text: 'hello' }], watermark: '1' });
  });

  it('keep a bounded history whose watermarks go on counting, in memory and in the store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'transcripts-'));
    const store = new SqliteStorage(path.join(dir, 'state.sqlite'));
    const t = new Transcripts(store, { historyMs: 60_000, maxActivities: 3, cacheSize: 10 });
    await t.open('c1', 'u1');
    await t.append('c1', ['1', '2'].map(message));
    await t.append('c1', ['3', '4', '5'].map(message));
    expect(await t.since('c1', 0)).toMatchObject({
      activities: [{ text: '3' }, { text: '4' }, { text: '5' }],
      watermark: '5',
    });
    expect(await t.since('c1', 4)).toMatchObject({ activities: [{ text: '5' }], watermark: '5' });
    // Each activity is its own item: only the kept ones are stored, and a restart reads them back.
    expect((await store.keys('directline/activity/c1/')).sort()).toEqual([
      'directline/activity/c1/2',
      'directline/activity/c1/3',
      'directline/activity/c1/4',
    ]);
    const restarted = new Transcripts(store, { historyMs: 60_000, maxActivities: 3, cacheSize: 10 });
    expect(await restarted.since('c1', 0)).toMatchObject({
      activities: [{ text: '3' }, { text: '4' }, { text: '5' }],
      watermark: '5',
    });
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forget a conversation nobody touched for the history window, in memory and in the store', async () => {
    let now = 0;
    const storage = new MemoryStorage();
    const t = new Transcripts(storage, { historyMs: 1_000, maxActivities: 100, cacheSize: 10 }, () => now);
    await t.open('c1', 'u1');
    await t.append('c1', [message('private')]);
    now = 1_001;
    expect(await t.exists('c1')).toBe(false);
    expect(await storage.read(['directline/transcript/c1', 'directline/activity/c1/0'])).toEqual({});
  });

  it('erase the history but the activities asked to keep', async () => {
    const storage = new MemoryStorage();
    const t = new Transcripts(storage, { historyMs: 60_000, maxActivities: 100, cacheSize: 10 });
    await t.open('c1', 'u1');
    await t.append('c1', [message('my name is Ana'), message('forget me')]);
    const [done] = await t.append('c1', [message('Done')]);
    await t.erase('c1', [done]);
    expect(await t.since('c1', 0)).toMatchObject({ activities: [{ text: 'Done' }], watermark: '3' });
    expect(JSON.stringify(await storage.read(['directline/activity/c1/0', 'directline/activity/c1/1']))).toBe('{}');
    expect(
      await new Transcripts(storage, { historyMs: 60_000, maxActivities: 100, cacheSize: 10 }).since('c1', 0),
    ).toMatchObject({ activities: [{ text: 'Done' }], watermark: '3' });
  });

  it('sweep away histories nobody came back to, from the embedded store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'transcripts-'));
    const store = new SqliteStorage(path.join(dir, 'state.sqlite'));
    let now = 0;
    const t = new Transcripts(store, { historyMs: 1_000, maxActivities: 100, cacheSize: 10 }, () => now);
    await t.open('old', 'u1');
    await t.append('old', [message('private')]);
    now = 900;
    await t.open('recent', 'u2');
    now = 1_500;
    expect(await t.sweep()).toBe(1);
    expect(await store.keys('directline/transcript/')).toEqual(['directline/transcript/recent']);
    expect(await store.keys('directline/activity/old/')).toEqual([]);
    expect(
      await new Transcripts(new MemoryStorage(), { historyMs: 1, maxActivities: 1, cacheSize: 1 }).sweep(),
    ).toBeUndefined();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

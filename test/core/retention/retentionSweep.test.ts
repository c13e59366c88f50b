import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BookingOutbox } from '../../../core/booking/outbox';
import { DEFAULT_RETENTION_DAYS, RetentionPolicy, RetentionSweep } from '../../../core/retention/retentionSweep';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { BlobCatalog } from '../../../core/storage/blobCatalog';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';
import { Azurite } from '../../helpers/azurite';
import { sampleRequest } from '../../helpers/bookingRequests';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-05T15:00:00Z');
const POLICY: RetentionPolicy = {
  conversationDays: DEFAULT_RETENTION_DAYS.conversation,
  bookingDays: DEFAULT_RETENTION_DAYS.booking,
  gapsDays: DEFAULT_RETENTION_DAYS.gaps,
};

describe('the retention sweep on the embedded sqlite store', () => {
  let dir: string;
  let store: SqliteStorage;
  let clock: number;
  const now = (): Date => new Date(clock);
  let outbox: BookingOutbox;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    clock = T0;
    store = new SqliteStorage(path.join(dir, 'state.sqlite'), () => clock);
    outbox = new BookingOutbox(store, now);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function sweeper(owner = 'instance-a', policy: RetentionPolicy = POLICY): RetentionSweep {
    return new RetentionSweep(store, store, outbox, policy, { owner, now, everyMs: 3_600_000 });
  }

  async function exists(key: string): Promise<boolean> {
    return (await store.read([key]))[key] !== undefined;
  }

  it('deletes conversation and user state after 30 days without activity, keeping what was active since', async () => {
    await store.write({
      'webchat/conversations/quiet/': { memory: { treatmentDate: '2026-03-01' } },
      'webchat/users/quiet-patient/': { profile: { language: 'es' } },
      'msteams/conversations/a:1;messageid=9/': { dialogState: {} },
    });
    clock = T0 + 20 * DAY;
    await store.write({
      'webchat/conversations/active/': { memory: {} },
      'webchat/users/active-patient/': { profile: {} },
    });

    clock = T0 + 30 * DAY - 2 * 3_600_000;
    expect((await sweeper().run())?.deleted).toEqual([]);
    clock = T0 + 31 * DAY;
    const result = await sweeper().run();
    expect(result?.deleted.sort()).toEqual([
      'msteams/conversations/a:1;messageid=9/',
      'webchat/conversations/quiet/',
      'webchat/users/quiet-patient/',
    ]);
    expect(result?.counts).toMatchObject({ conversation: 2, user: 1 });
    expect(await exists('webchat/conversations/active/')).toBe(true);
    expect(await exists('webchat/users/active-patient/')).toBe(true);

    clock = T0 + 51 * DAY;
    expect((await sweeper().run())?.deleted.sort()).toEqual([
      'webchat/conversations/active/',
      'webchat/users/active-patient/',
    ]);
  });

  it('keeps a patient whose request is still waiting, so "forget me" can still withdraw it', async () => {
    const waiting = sampleRequest();
    await outbox.add(waiting);
    await store.write({ 'webchat/users/waiting/': { profile: { bookingRequests: [waiting.requestId] } } });
    clock = T0 + 40 * DAY;
    const result = await sweeper().run();
    expect(result?.deleted).toEqual([]);
    expect(await exists('webchat/users/waiting/')).toBe(true);
  });

  it('deletes chat transcripts whose last message is 30 days old, header and activities together', async () => {
    await store.write({
      'directline/transcript/old': { header: {} },
      'directline/activity/old/0000000': { activity: { type: 'message' } },
      'directline/activity/old/0000001': { activity: { type: 'message' } },
      'directline/transcript/talking': { header: {} },
      'directline/activity/talking/0000000': { activity: { type: 'message' } },
    });
    clock = T0 + 10 * DAY;
    await store.write({ 'directline/activity/talking/0000001': { activity: { type: 'message' } } });
    clock = T0 + 31 * DAY;
    const result = await sweeper().run();
    expect(result?.deleted.sort()).toEqual([
      'directline/activity/old/0000000',
      'directline/activity/old/0000001',
      'directline/transcript/old',
    ]);
    expect(result?.counts.transcript).toBe(3);
    expect(await exists('directline/activity/talking/0000000')).toBe(true);
  });

  it('deletes booking records 90 days after delivery or handling, never while pending, held or rejected', async () => {
    const [pending, delivered, handled, rejected, held] = Array.from({ length: 5 }, () => sampleRequest());
    for (const r of [pending, delivered, handled, rejected, held]) await outbox.add(r);
    await outbox.markRejected(rejected.requestId, 422);
    await store.write({
      [BookingOutbox.recordKey(held.requestId)]: {
        ...(await outbox.get(held.requestId)),
        status: 'held',
        heldAt: new Date(T0).toISOString(),
      },
    });
    clock = T0 + DAY;
    await outbox.markDelivered(delivered.requestId, 'REF-1');
    clock = T0 + 50 * DAY;
    await outbox.markHandled(handled.requestId);

    clock = T0 + 91 * DAY - 2 * 3_600_000;
    expect((await sweeper().run())?.counts.booking).toBe(0);
    clock = T0 + 91 * DAY;
    const first = await sweeper().run();
    expect(first?.deleted).toEqual([BookingOutbox.recordKey(delivered.requestId)]);
    expect((await outbox.listing()).map((r) => r.request.requestId)).not.toContain(delivered.requestId);

    clock = T0 + 400 * DAY;
    const second = await sweeper().run();
    expect(second?.deleted).toEqual([BookingOutbox.recordKey(handled.requestId)]);
    for (const r of [pending, rejected, held]) expect(await outbox.get(r.requestId)).toBeDefined();
  });

  it('deletes a day of the gap log once its last question is 180 days old', async () => {
    await store.write({ 'gaps/2025-09-05': { records: [] }, 'gaps/2025-09-06': { records: [] } });
    // 2025-09-05 ends on 09-06 00:00; 180 days after that is 2026-03-05 00:00, before T0.
    const result = await sweeper().run();
    expect(result?.deleted).toEqual(['gaps/2025-09-05']);
    expect(await exists('gaps/2025-09-06')).toBe(true);
  });

  it("leaves analytics, the service's own items and staff accounts alone, however old", async () => {
    const own = {
      'analytics/day/2020-01-01': { counts: {} },
      'staff/users/someone': { role: 'admin' },
      'bookings/index': { active: [], recent: [] },
      'gaps/notes': {},
    };
    await store.write(own);
    clock = T0 + 5000 * DAY;
    expect((await sweeper().run())?.deleted).toEqual([]);
    for (const key of Object.keys(own)) expect(await exists(key)).toBe(true);
  });

  it('deletes staff sessions and sign-ins days past any session timeout, and keeps accounts', async () => {
    await store.write({ 'staff/session/old': { email: 'a' }, 'staff/entra-pending/old': {}, 'staff/accounts': {} });
    clock = T0 + 2 * DAY;
    await store.write({ 'staff/session/recent': { email: 'b' } });
    clock = T0 + 4 * DAY;
    const result = await sweeper().run();
    expect(result?.deleted.sort()).toEqual(['staff/entra-pending/old', 'staff/session/old']);
    expect(result?.counts['staff-session']).toBe(2);
    expect(await exists('staff/session/recent')).toBe(true);
    expect(await exists('staff/accounts')).toBe(true);
  });

  it('keeps where a patient can be reached as long as their booking records, then deletes it', async () => {
    await store.write({ 'contact/address/old': { address: {} } });
    clock = T0 + (POLICY.bookingDays - 1) * DAY;
    await store.write({ 'contact/address/recent': { address: {} } });
    expect((await sweeper().run())?.deleted).toEqual([]);
    clock = T0 + POLICY.bookingDays * DAY;
    const result = await sweeper().run();
    expect(result?.deleted).toEqual(['contact/address/old']);
    expect(result?.counts.contact).toBe(1);
    expect(await exists('contact/address/recent')).toBe(true);
  });

  it('deletes handoff records and check-in consents with the conversation, never the handoff index', async () => {
    await store.write({
      'handoff/records/old': { state: 'resolved' },
      'followups/consent/old': { withdrawnAt: null },
      'handoff/index': { open: [] },
      'followups/index': { active: [] },
    });
    clock = T0 + POLICY.conversationDays * DAY;
    await store.write({ 'handoff/records/recent': { state: 'claimed' } });
    const result = await sweeper().run();
    expect(result?.deleted.sort()).toEqual(['followups/consent/old', 'handoff/records/old']);
    for (const key of ['handoff/records/recent', 'handoff/index', 'followups/index'])
      expect(await exists(key)).toBe(true);
  });

  it('follows the configured days rather than the defaults', async () => {
    await store.write({ 'webchat/conversations/c/': {} });
    clock = T0 + 3 * DAY;
    const short = sweeper('instance-a', { conversationDays: 2, bookingDays: 1, gapsDays: 1 });
    expect((await short.run())?.deleted).toEqual(['webchat/conversations/c/']);
  });

  it('sweeps on one instance at a time, and not again before the next one is due', async () => {
    await store.write({ 'webchat/conversations/c/': {}, 'webchat/conversations/d/': {} });
    clock = T0 + 31 * DAY;
    const [a, b] = await Promise.all([sweeper('instance-a').run(), sweeper('instance-b').run()]);
    const ran = [a, b].filter((r) => r !== undefined);
    expect(ran).toHaveLength(1);
    expect(ran[0]?.deleted.sort()).toEqual(['webchat/conversations/c/', 'webchat/conversations/d/']);
    // Finished a moment ago: nobody sweeps again until an hour has passed.
    clock += 30 * 60_000;
    expect(await sweeper('instance-b').run()).toBeUndefined();
    clock += 31 * 60_000;
    expect(await sweeper('instance-b').run()).toEqual(expect.objectContaining({ deleted: [] }));
  });

  it('stops between items when the service shuts down, and the next sweep finishes the work', async () => {
    await store.write(
      Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`webchat/conversations/c${i}/`, {}] as const)),
    );
    clock = T0 + 31 * DAY;
    let asked = 0;
    const stopped = await sweeper().run(() => ++asked > 130);
    expect(stopped?.interrupted).toBe(true);
    expect(stopped?.deleted.length).toBeLessThan(120);
    // An interrupted sweep is not counted as done: the next one may run at once.
    const rest = await sweeper('instance-b').run();
    expect((stopped?.deleted.length ?? 0) + (rest?.deleted.length ?? 0)).toBe(120);
  });
});

describe('the retention sweep on Azure Blob Storage (Azurite), two instances at once', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await Azurite.start();
  }, 60_000);
  afterAll(() => azurite?.stop());

  it('deletes each expired item exactly once and keeps the rest', async () => {
    const container = 'retention-two';
    // Blob Storage stamps writes with its own clock: the sweeps' clock is set from what it reports.
    let clock = 0;
    const now = (): Date => new Date(clock);
    const instances = ['a', 'b'].map((owner) => {
      const storage = new BlobsStorage(azurite.connectionString, container);
      const catalog = new BlobCatalog(azurite.connectionString, container);
      const outbox = new BookingOutbox(storage, now);
      return { storage, catalog, outbox, sweep: new RetentionSweep(storage, catalog, outbox, POLICY, { owner, now }) };
    });
    const [{ storage, catalog, outbox }] = instances;

    const conversations = Array.from({ length: 12 }, (_, i) => `webchat/conversations/c${i}/`);
    await storage.write(Object.fromEntries(conversations.map((key) => [key, { memory: {} }])));
    await storage.write({
      'webchat/users/p1/': { profile: { language: 'es' } },
      'directline/transcript/t1': { header: {} },
      'directline/activity/t1/0000000': { activity: { type: 'message' } },
      'analytics/day/2026-01-01': { counts: {} },
    });
    let newest = 0;
    for await (const entry of catalog.list('')) newest = Math.max(newest, entry.lastModified.getTime());
    clock = newest + 100 * DAY;
    const day = (daysAgo: number): string => new Date(clock - daysAgo * DAY).toISOString().slice(0, 10);
    await storage.write({ [`gaps/${day(200)}`]: { records: [] }, [`gaps/${day(10)}`]: { records: [] } });
    const [delivered, pending] = [sampleRequest(), sampleRequest()];
    // Delivered 95 days before the sweep (its record written with the booking clock), the other still pending.
    clock = newest + 5 * DAY;
    await outbox.add(delivered);
    await outbox.add(pending);
    await outbox.markDelivered(delivered.requestId, 'REF-9');
    clock = newest + 100 * DAY;

    const results = await Promise.all(instances.map((i) => i.sweep.run()));
    const deleted = results.flatMap((r) => r?.deleted ?? []);
    expect(deleted.sort()).toEqual(
      [
        ...conversations.map((key) => key.slice(0, -1)),
        'webchat/users/p1',
        'directline/transcript/t1',
        'directline/activity/t1/0000000',
        `gaps/${day(200)}`,
        BookingOutbox.recordKey(delivered.requestId),
      ].sort(),
    );
    expect(new Set(deleted).size).toBe(deleted.length);
    expect(await storage.read([...conversations, 'webchat/users/p1/'])).toEqual({});
    expect(await outbox.get(pending.requestId)).toBeDefined();
    expect(await outbox.get(delivered.requestId)).toBeUndefined();
    const left = await storage.read([`gaps/${day(10)}`, 'analytics/day/2026-01-01']);
    expect(Object.keys(left).sort()).toEqual(['analytics/day/2026-01-01', `gaps/${day(10)}`]);

    // Swept a moment ago: neither instance sweeps again yet, and nothing is left to delete.
    expect(await Promise.all(instances.map((i) => i.sweep.run()))).toEqual([undefined, undefined]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { handoffFigures } from '../../../core/handoff/handoffFigures';
import { HandoffQueue } from '../../../core/handoff/handoffQueue';
import { OpenHandoff, TRANSCRIPT_KEPT } from '../../../core/handoff/handoffRecord';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';

const ANA = { id: 'ana@clinic.example', name: 'Ana' };
const LUIS = { id: 'luis@clinic.example', name: 'Luis' };

function asking(addressKey = 'webchat|conv-1'): OpenHandoff {
  return {
    addressKey,
    lang: 'es',
    channel: 'webchat',
    reason: 'asked',
    summary: 'Asks whether she can have a session while on isotretinoin.',
    transcript: [
      { role: 'patient', text: '¿Puedo hacerme microneedling si tomo isotretinoína?', at: '2026-03-05T14:58:00.000Z' },
      { role: 'bot', text: 'Eso lo decide un profesional.', at: '2026-03-05T14:58:01.000Z' },
    ],
  };
}

describe('the handoff queue', () => {
  let dir: string;
  let clock: Date;
  const now = (): Date => clock;
  const later = (ms: number): void => {
    clock = new Date(clock.getTime() + ms);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-'));
    clock = new Date('2026-03-05T15:00:00Z');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('queues a conversation once, with its history, reason and language', async () => {
    const store = new SqliteStorage(path.join(dir, 'state.sqlite'));
    const queue = new HandoffQueue(store, now);
    const first = await queue.open(asking());
    const again = await queue.open({ ...asking(), reason: 'unanswered' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ record: first.record, created: false });
    expect(first.record).toMatchObject({
      state: 'waiting',
      lang: 'es',
      reason: 'asked',
      queuedAt: clock.toISOString(),
    });
    expect(first.record.transcript.map((m) => m.role)).toEqual(['patient', 'bot', 'system']);
    expect(await queue.byAddress('webchat|conv-1')).toEqual(first.record);
    expect(await queue.byAddress('webchat|other')).toBeUndefined();
    expect(await queue.list({ state: 'waiting' })).toEqual([first.record]);
    store.close();
  });

  it('lets exactly one of two staff claim a conversation, from two queues on one store', async () => {
    const file = path.join(dir, 'state.sqlite');
    const storeA = new SqliteStorage(file);
    const storeB = new SqliteStorage(file);
    const one = new HandoffQueue(storeA, now);
    const two = new HandoffQueue(storeB, now);
    const sameStore = new HandoffQueue(storeA, now);
    const { record } = await one.open(asking());
    const results = await Promise.all([
      one.claim(record.id, ANA),
      two.claim(record.id, LUIS),
      sameStore.claim(record.id, LUIS),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.find((r) => r.ok);
    const kept = await two.get(record.id);
    expect(kept?.state).toBe('claimed');
    expect(winner?.ok && winner.record.claimedBy).toEqual(kept?.claimedBy);
    for (const lost of results.filter((r) => !r.ok)) expect(lost).toMatchObject({ ok: false, reason: 'not-waiting' });
    storeA.close();
    storeB.close();
  });

  it('queues one handoff when two instances open the same conversation at once', async () => {
    const file = path.join(dir, 'state.sqlite');
    const storeA = new SqliteStorage(file);
    const storeB = new SqliteStorage(file);
    const [a, b] = await Promise.all([
      new HandoffQueue(storeA, now).open(asking()),
      new HandoffQueue(storeB, now).open(asking()),
    ]);
    expect(a.record.id).toBe(b.record.id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(await new HandoffQueue(storeA, now).list()).toHaveLength(1);
    storeA.close();
    storeB.close();
  });

  it('keeps staff replies only from the claimer, times the first one, and resolves', async () => {
    const store = new SqliteStorage(':memory:');
    const queue = new HandoffQueue(store, now);
    const { record } = await queue.open(asking());
    expect(await queue.appendStaffMessage(record.id, ANA, 'Hola')).toMatchObject({ ok: false, reason: 'not-yours' });
    await queue.claim(record.id, ANA);
    later(90_000);
    expect(await queue.appendStaffMessage(record.id, LUIS, 'Hola')).toMatchObject({ ok: false, reason: 'not-yours' });
    const replied = await queue.appendStaffMessage(record.id, ANA, 'Hola, soy Ana.');
    expect(replied.ok && replied.record).toMatchObject({ firstStaffReplyAt: '2026-03-05T15:01:30.000Z' });
    expect(replied.ok && replied.record.transcript.at(-1)).toMatchObject({
      role: 'staff',
      staffName: 'Ana',
      text: 'Hola, soy Ana.',
    });
    expect(await queue.list({ claimedBy: ANA.id })).toHaveLength(1);
    expect(await queue.resolve(record.id, LUIS)).toMatchObject({ ok: false, reason: 'not-yours' });
    const resolved = await queue.resolve(record.id, ANA);
    expect(resolved.ok && resolved.record).toMatchObject({
      state: 'resolved',
      resolvedBy: ANA,
      closedAt: clock.toISOString(),
    });
    expect(await queue.byAddress(record.addressKey)).toBeUndefined();
    expect(await queue.appendPatientMessage(record.id, 'gracias')).toMatchObject({ ok: false, reason: 'closed' });
    expect((await queue.list({ state: 'resolved' })).map((r) => r.id)).toEqual([record.id]);
    expect((await queue.open(asking())).created).toBe(true);
    store.close();
  });

  it('marks a handoff abandoned when the patient cancels', async () => {
    const store = new SqliteStorage(':memory:');
    const queue = new HandoffQueue(store, now);
    const { record } = await queue.open(asking());
    const cancelled = await queue.cancel(record.id);
    expect(cancelled.ok && cancelled.record.state).toBe('abandoned');
    expect(await queue.claim(record.id, ANA)).toMatchObject({ ok: false, reason: 'not-waiting' });
    expect(await queue.cancel(record.id)).toMatchObject({ ok: false, reason: 'closed' });
    expect(await queue.byAddress(record.addressKey)).toBeUndefined();
    store.close();
  });

  it('times out only what waited too long and nobody claimed', async () => {
    const store = new SqliteStorage(':memory:');
    const queue = new HandoffQueue(store, now);
    const old = (await queue.open(asking('a'))).record;
    const taken = (await queue.open(asking('b'))).record;
    await queue.claim(taken.id, ANA);
    later(5 * 60_000);
    const recent = (await queue.open(asking('c'))).record;
    const tenMinutes = 10 * 60_000;
    expect(await queue.expireWaiting(new Date(Date.parse(old.queuedAt) + tenMinutes - 1), tenMinutes)).toEqual([]);
    const expired = await queue.expireWaiting(new Date(Date.parse(old.queuedAt) + tenMinutes), tenMinutes);
    expect(expired.map((r) => [r.id, r.state])).toEqual([[old.id, 'timed-out']]);
    expect((await queue.get(taken.id))?.state).toBe('claimed');
    expect((await queue.get(recent.id))?.state).toBe('waiting');
    expect(await queue.expireWaiting(new Date(Date.parse(old.queuedAt) + tenMinutes), tenMinutes)).toEqual([]);
    store.close();
  });

  it('records red flags and the bot guidance while a person has the conversation', async () => {
    const store = new SqliteStorage(':memory:');
    const queue = new HandoffQueue(store, now);
    const { record } = await queue.open(asking());
    await queue.claim(record.id, ANA);
    await queue.appendPatientMessage(record.id, 'no puedo respirar', { redFlag: true });
    const guided = await queue.appendBotMessage(record.id, 'Llame al 911.');
    expect(guided.ok && guided.record).toMatchObject({ redFlagsFired: 1, lastRedFlagAt: clock.toISOString() });
    expect(guided.ok && guided.record.transcript.slice(-2)).toMatchObject([
      { role: 'patient', redFlag: true },
      { role: 'bot', text: 'Llame al 911.' },
    ]);
    store.close();
  });

  it('counts every change, numbers messages, and keeps only the latest ones', async () => {
    const store = new SqliteStorage(':memory:');
    const queue = new HandoffQueue(store, now);
    expect(await queue.version()).toBe(0);
    const { record } = await queue.open(asking());
    const v1 = await queue.version();
    for (let i = 0; i < TRANSCRIPT_KEPT + 10; i++) await queue.appendPatientMessage(record.id, `mensaje ${i}`);
    expect(await queue.version()).toBe(v1 + TRANSCRIPT_KEPT + 10);
    const kept = await queue.get(record.id);
    expect(kept?.transcript).toHaveLength(TRANSCRIPT_KEPT);
    expect(kept?.messageCount).toBe(3 + TRANSCRIPT_KEPT + 10);
    expect(kept?.transcript.at(-1)).toMatchObject({ seq: kept?.messageCount, text: `mensaje ${TRANSCRIPT_KEPT + 9}` });
    expect(await queue.get('not-a-handoff-id')).toBeUndefined();
    store.close();
  });

  it('adds up handoffs, first-reply times and abandoned ones over a period', async () => {
    const store = new SqliteStorage(':memory:');
    const queue = new HandoffQueue(store, now);
    const a = (await queue.open(asking('a'))).record;
    const b = (await queue.open({ ...asking('b'), reason: 'red-flag' })).record;
    await queue.open(asking('c'));
    await queue.claim(a.id, ANA);
    later(60_000);
    await queue.appendStaffMessage(a.id, ANA, 'Hola');
    await queue.cancel(b.id);
    const figures = handoffFigures(await queue.list(), {
      from: new Date('2026-03-05T00:00:00Z'),
      to: new Date('2026-03-06T00:00:00Z'),
    });
    expect(figures).toEqual({
      handoffs: 3,
      byReason: { asked: 2, unanswered: 0, 'red-flag': 1 },
      claimed: 1,
      resolved: 0,
      abandoned: 1,
      timedOut: 0,
      open: 2,
      firstReply: { count: 1, medianMs: 60_000, p90Ms: 60_000 },
    });
    expect(
      handoffFigures(await queue.list(), {
        from: new Date('2026-03-06T00:00:00Z'),
        to: new Date('2026-03-07T00:00:00Z'),
      }).handoffs,
    ).toBe(0);
    store.close();
  });
});

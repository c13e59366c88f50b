import { AgentPresence } from '../../../core/handoff/agentPresence';
import { SqliteStorage } from '../../../core/storage/sqliteStorage';

describe('agent presence', () => {
  let clock: Date;
  const now = (): Date => clock;
  beforeEach(() => {
    clock = new Date('2026-03-05T15:00:00Z');
  });
  const later = (ms: number): void => {
    clock = new Date(clock.getTime() + ms);
  };

  it('counts an agent whose inbox polled within the window, and forgets them after it', async () => {
    const store = new SqliteStorage(':memory:');
    const presence = new AgentPresence(store, { windowMs: 30_000, now });
    expect(await presence.anyonePresent()).toBe(false);
    await presence.heartbeat({ id: 'ana@clinic.example', name: 'Ana', role: 'agent' });
    later(29_000);
    expect(await presence.present()).toEqual([
      { id: 'ana@clinic.example', name: 'Ana', lastSeen: '2026-03-05T15:00:00.000Z' },
    ]);
    later(1_000);
    expect(await presence.anyonePresent()).toBe(false);
    store.close();
  });

  it('keeps agents seen by different instances in one item, and ignores editors', async () => {
    const store = new SqliteStorage(':memory:');
    const one = new AgentPresence(store, { now });
    const two = new AgentPresence(store, { now });
    await Promise.all([
      one.heartbeat({ id: 'ana@clinic.example', name: 'Ana', role: 'agent' }),
      two.heartbeat({ id: 'luis@clinic.example', name: 'Luis', role: 'admin' }),
      two.heartbeat({ id: 'eve@clinic.example', name: 'Eve', role: 'editor' }),
    ]);
    expect((await one.present()).map((a) => a.id).sort()).toEqual(['ana@clinic.example', 'luis@clinic.example']);
    await two.leave('luis@clinic.example');
    expect((await one.present()).map((a) => a.id)).toEqual(['ana@clinic.example']);
    store.close();
  });

  it('writes a heartbeat only when the stored one grows stale, and keeps the agent present by polling', async () => {
    const store = new SqliteStorage(':memory:');
    const presence = new AgentPresence(store, { windowMs: 20_000, now });
    const writes = jest.spyOn(store, 'write');
    const ana = { id: 'ana@clinic.example', name: 'Ana', role: 'agent' as const };
    for (let second = 0; second < 60; second += 2) {
      await presence.heartbeat(ana);
      later(2_000);
    }
    expect(writes.mock.calls.length).toBeLessThanOrEqual(12);
    expect(await presence.anyonePresent()).toBe(true);
    store.close();
  });
});

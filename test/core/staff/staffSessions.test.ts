import { MemoryStorage } from 'botbuilder';
import { StaffSessions } from '../../../core/staff/staffSessions';

const WHO = { email: 'a@clinic.example', role: 'agent', name: 'a@clinic.example', via: 'local' } as const;

describe('StaffSessions', () => {
  function sessions() {
    let at = Date.parse('2026-12-04T09:00:00Z');
    const storage = new MemoryStorage();
    const s = new StaffSessions(storage, { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 }, () => new Date(at));
    return { s, storage, advance: (ms: number) => (at += ms) };
  }

  it('gives each sign-in a new random id and keeps only its hash in the store', async () => {
    const { s, storage } = sessions();
    const a = await s.create(WHO);
    const b = await s.create(WHO);
    expect(a.id).not.toBe(b.id);
    expect(a.session.csrf).not.toBe(b.session.csrf);
    const stored = JSON.stringify((storage as unknown as { memory: Record<string, unknown> }).memory);
    expect(stored).not.toContain(a.id);
    await expect(s.get(a.id)).resolves.toMatchObject({ email: WHO.email });
  });

  it('ends a session left idle, and one past its absolute lifetime however active', async () => {
    const { s, advance } = sessions();
    const idle = await s.create(WHO);
    advance(31 * 60_000);
    await expect(s.get(idle.id)).resolves.toBeUndefined();

    const busy = await s.create(WHO);
    for (let i = 0; i < 12 * 4; i++) {
      advance(15 * 60_000);
      if (i < 12 * 4 - 1) await expect(s.get(busy.id)).resolves.toBeDefined();
    }
    advance(60_000);
    await expect(s.get(busy.id)).resolves.toBeUndefined();
  });

  it('ignores ids of the wrong shape and ended sessions', async () => {
    const { s } = sessions();
    await expect(s.get('../../etc/passwd')).resolves.toBeUndefined();
    const a = await s.create(WHO);
    await s.end(a.id);
    await expect(s.get(a.id)).resolves.toBeUndefined();
  });
});

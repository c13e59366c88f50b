import { MemoryStorage } from 'botbuilder';
import { AuditLog } from '../../../core/staff/auditLog';

describe('AuditLog', () => {
  it('keeps every entry, newest first, across months', async () => {
    let at = Date.parse('2026-11-30T23:59:00Z');
    const log = new AuditLog(new MemoryStorage(), () => new Date(at));
    await log.record({ actor: 'a@clinic.example', action: 'sign-in' });
    at = Date.parse('2026-12-01T00:01:00Z');
    await Promise.all([
      log.record({ actor: 'a@clinic.example', action: 'content-publish', target: 'v2' }),
      log.record({ actor: 'b@clinic.example', action: 'booking-status', target: 'abcd1234', detail: 'handled' }),
    ]);
    const entries = await log.recent();
    expect(entries).toHaveLength(3);
    expect(entries[2]).toMatchObject({ action: 'sign-in', at: '2026-11-30T23:59:00.000Z' });
  });
});

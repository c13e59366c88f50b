import { MemoryStorage } from 'botbuilder';
import { AccountError, StaffAccounts } from '../../../core/staff/staffAccounts';

const PASSWORD = 'a long enough password';

function clock(start = '2026-12-04T09:00:00Z') {
  let at = Date.parse(start);
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

describe('StaffAccounts', () => {
  it('stores an argon2id hash, never the password, and signs in with it', async () => {
    const storage = new MemoryStorage();
    const accounts = new StaffAccounts(storage);
    await accounts.add(' Nurse@Clinic.Example ', 'editor', PASSWORD);
    const stored = JSON.stringify(await storage.read(['staff/accounts']));
    expect(stored).toContain('$argon2id$');
    expect(stored).not.toContain(PASSWORD);
    await expect(accounts.signIn('nurse@clinic.example', PASSWORD)).resolves.toMatchObject({
      ok: true,
      account: { email: 'nurse@clinic.example', role: 'editor' },
    });
  });

  it('refuses a short password, a malformed email and a second account for one email', async () => {
    const accounts = new StaffAccounts(new MemoryStorage());
    await expect(accounts.add('a@clinic.example', 'agent', 'short')).rejects.toMatchObject({ code: 'weak-password' });
    await expect(accounts.add('not an email', 'agent', PASSWORD)).rejects.toMatchObject({ code: 'bad-email' });
    await accounts.add('a@clinic.example', 'agent', PASSWORD);
    await expect(accounts.add('A@clinic.example', 'admin', PASSWORD)).rejects.toBeInstanceOf(AccountError);
  });

  it('locks an account after the configured failures in a row, and lets it in again once the lock ends', async () => {
    const time = clock();
    const accounts = new StaffAccounts(new MemoryStorage(), time.now, { maxFailures: 3, lockMs: 15 * 60_000 });
    await accounts.add('a@clinic.example', 'agent', PASSWORD);
    await accounts.signIn('a@clinic.example', 'wrong 1');
    await accounts.signIn('a@clinic.example', 'wrong 2');
    await expect(accounts.signIn('a@clinic.example', 'wrong 3')).resolves.toMatchObject({
      ok: false,
      reason: 'locked',
    });
    await expect(accounts.signIn('a@clinic.example', PASSWORD)).resolves.toMatchObject({ ok: false, reason: 'locked' });
    time.advance(15 * 60_000 + 1);
    await expect(accounts.signIn('a@clinic.example', PASSWORD)).resolves.toMatchObject({ ok: true });
  });

  it('forgives earlier failures after a successful sign-in', async () => {
    const accounts = new StaffAccounts(new MemoryStorage(), undefined, { maxFailures: 2, lockMs: 60_000 });
    await accounts.add('a@clinic.example', 'agent', PASSWORD);
    await accounts.signIn('a@clinic.example', 'wrong');
    await accounts.signIn('a@clinic.example', PASSWORD);
    await expect(accounts.signIn('a@clinic.example', 'wrong')).resolves.toMatchObject({ reason: 'bad-credentials' });
  });

  it('refuses a disabled account like a wrong password', async () => {
    const accounts = new StaffAccounts(new MemoryStorage());
    await accounts.add('admin@clinic.example', 'admin', PASSWORD);
    await accounts.add('a@clinic.example', 'agent', PASSWORD);
    await accounts.setDisabled('a@clinic.example', true);
    await expect(accounts.signIn('a@clinic.example', PASSWORD)).resolves.toMatchObject({ reason: 'bad-credentials' });
  });

  it('never leaves the console without an active admin', async () => {
    const accounts = new StaffAccounts(new MemoryStorage());
    await accounts.add('admin@clinic.example', 'admin', PASSWORD);
    await expect(accounts.setRole('admin@clinic.example', 'agent')).rejects.toMatchObject({ code: 'last-admin' });
    await expect(accounts.setDisabled('admin@clinic.example', true)).rejects.toMatchObject({ code: 'last-admin' });
    await expect(accounts.remove('admin@clinic.example')).rejects.toMatchObject({ code: 'last-admin' });
  });
});

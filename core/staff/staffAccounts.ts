import { z } from 'zod';
import { isETagConflict, KeyValueStore } from '../storage/keyValueStore';
import { checkPassword, hashPassword, passwordProblem } from './passwordHasher';
import { StaffRole, StaffRoleSchema } from './staffRoles';

const AccountSchema = z.object({
  email: z.string(),
  role: StaffRoleSchema,
  passwordHash: z.string(),
  createdAt: z.string(),
  disabled: z.boolean().default(false),
  failedAttempts: z.number().int().default(0),
  lockedUntil: z.string().optional(),
});
export type StaffAccount = z.infer<typeof AccountSchema>;
/** What the console shows of an account: never its hash. */
export type AccountView = Omit<StaffAccount, 'passwordHash'>;

const AccountsItemSchema = z.object({ accounts: z.array(AccountSchema) });

export const ACCOUNTS_KEY = 'staff/accounts';

export interface LockoutPolicy {
  /** Failed sign-ins in a row that lock the account. */
  maxFailures: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

export type SignInCheck =
  | { ok: true; account: AccountView }
  | { ok: false; reason: 'bad-credentials' }
  | { ok: false; reason: 'locked'; until: string };

export class AccountError extends Error {
  override readonly name = 'AccountError';
  constructor(
    readonly code: 'exists' | 'unknown' | 'bad-email' | 'weak-password' | 'last-admin',
    message: string,
  ) {
    super(message);
  }
}

/** A plain check of the address shape; the mailbox itself is the clinic's business. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Local staff accounts (the embedded default; off when Microsoft Entra ID signs staff in), in one
 * eTag-guarded item: a clinic has a handful of staff, and every change is read-modify-write.
 */
export class StaffAccounts {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
    private readonly lockout: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {}

  async list(): Promise<AccountView[]> {
    return (await this.read()).accounts.map(view);
  }

  async find(email: string): Promise<AccountView | undefined> {
    const account = (await this.read()).accounts.find((a) => a.email === normalizeEmail(email));
    return account && view(account);
  }

  /** Creates an account; refuses a taken email, a malformed one, or a weak password. */
  async add(email: string, role: StaffRole, password: string): Promise<AccountView> {
    const address = normalizeEmail(email);
    if (!EMAIL.test(address)) throw new AccountError('bad-email', `"${email}" is not an email address`);
    const weak = passwordProblem(password);
    if (weak) throw new AccountError('weak-password', `the password is too weak: ${weak}`);
    const passwordHash = await hashPassword(password);
    const account: StaffAccount = {
      email: address,
      role,
      passwordHash,
      createdAt: this.now().toISOString(),
      disabled: false,
      failedAttempts: 0,
    };
    await this.change((accounts) => {
      if (accounts.some((a) => a.email === address))
        throw new AccountError('exists', `an account for ${address} already exists`);
      return [...accounts, account];
    });
    return view(account);
  }

  async setRole(email: string, role: StaffRole): Promise<AccountView> {
    return this.update(email, (a) => ({ ...a, role }));
  }

  async setDisabled(email: string, disabled: boolean): Promise<AccountView> {
    return this.update(email, (a) => ({ ...a, disabled }));
  }

  /** A new password; also lifts a lock-out. */
  async setPassword(email: string, password: string): Promise<AccountView> {
    const weak = passwordProblem(password);
    if (weak) throw new AccountError('weak-password', `the password is too weak: ${weak}`);
    const passwordHash = await hashPassword(password);
    return this.update(email, (a) => ({ ...a, passwordHash, failedAttempts: 0, lockedUntil: undefined }));
  }

  async unlock(email: string): Promise<AccountView> {
    return this.update(email, (a) => ({ ...a, failedAttempts: 0, lockedUntil: undefined }));
  }

  async remove(email: string): Promise<void> {
    const address = normalizeEmail(email);
    await this.change((accounts) => {
      if (!accounts.some((a) => a.email === address)) throw new AccountError('unknown', `no account for ${address}`);
      const rest = accounts.filter((a) => a.email !== address);
      keepAnAdmin(accounts, rest);
      return rest;
    });
  }

  /**
   * Checks a sign-in. Failures in a row lock the account for a while; a locked account is refused
   * even with the right password, and an unknown or disabled one answers like a wrong password.
   */
  async signIn(email: string, password: string): Promise<SignInCheck> {
    const address = normalizeEmail(email);
    const account = (await this.read()).accounts.find((a) => a.email === address);
    const at = this.now();
    if (account?.lockedUntil && account.lockedUntil > at.toISOString()) {
      return { ok: false, reason: 'locked', until: account.lockedUntil };
    }
    const matches = await checkPassword(account?.passwordHash, password);
    if (!account) return { ok: false, reason: 'bad-credentials' };
    if (matches && !account.disabled) {
      if (account.failedAttempts > 0 || account.lockedUntil)
        await this.update(address, (a) => ({ ...a, failedAttempts: 0, lockedUntil: undefined }));
      return { ok: true, account: view(account) };
    }
    const after = await this.update(address, (a) => {
      const failedAttempts = a.lockedUntil && a.lockedUntil <= at.toISOString() ? 1 : a.failedAttempts + 1;
      const locks = failedAttempts >= this.lockout.maxFailures;
      return {
        ...a,
        failedAttempts: locks ? 0 : failedAttempts,
        lockedUntil: locks ? new Date(at.getTime() + this.lockout.lockMs).toISOString() : a.lockedUntil,
      };
    });
    return after.lockedUntil && after.lockedUntil > at.toISOString()
      ? { ok: false, reason: 'locked', until: after.lockedUntil }
      : { ok: false, reason: 'bad-credentials' };
  }

  private async update(email: string, change: (a: StaffAccount) => StaffAccount): Promise<AccountView> {
    const address = normalizeEmail(email);
    let changed: StaffAccount | undefined;
    await this.change((accounts) => {
      const i = accounts.findIndex((a) => a.email === address);
      if (i < 0) throw new AccountError('unknown', `no account for ${address}`);
      changed = change(accounts[i]);
      const next = accounts.map((a, k) => (k === i ? (changed ?? a) : a));
      keepAnAdmin(accounts, next);
      return next;
    });
    if (!changed) throw new AccountError('unknown', `no account for ${address}`);
    return view(changed);
  }

  private async read(): Promise<{ accounts: StaffAccount[]; eTag?: string }> {
    const item = (await this.store.read([ACCOUNTS_KEY]))[ACCOUNTS_KEY];
    if (!item) return { accounts: [] };
    return { accounts: AccountsItemSchema.parse(item).accounts, eTag: item.eTag };
  }

  /** Read-modify-write under the item's eTag; a concurrent change is re-read and the change re-applied. */
  private async change(apply: (accounts: StaffAccount[]) => StaffAccount[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { accounts, eTag } = await this.read();
      const next = apply(accounts);
      try {
        await this.store.write({ [ACCOUNTS_KEY]: { accounts: next, eTag } });
        return;
      } catch (err) {
        if (!isETagConflict(err) || attempt >= 5) throw err;
      }
    }
  }
}

function view(account: StaffAccount): AccountView {
  const { passwordHash: _hash, ...rest } = account;
  return rest;
}

/** The console is never left without an active admin by a change through it. */
function keepAnAdmin(before: readonly StaffAccount[], after: readonly StaffAccount[]): void {
  const admins = (list: readonly StaffAccount[]): number =>
    list.filter((a) => a.role === 'admin' && !a.disabled).length;
  if (admins(before) > 0 && admins(after) === 0)
    throw new AccountError('last-admin', 'this would leave no active admin account');
}

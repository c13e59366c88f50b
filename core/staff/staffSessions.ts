import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KeyValueStore } from '../storage/keyValueStore';
import { StaffRoleSchema } from './staffRoles';

const SessionSchema = z.object({
  email: z.string(),
  role: StaffRoleSchema,
  /** Shown in the console and written in the audit log. */
  name: z.string(),
  /** The token every state-changing request must carry (synchronizer pattern). */
  csrf: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  via: z.enum(['local', 'entra']),
});
export type StaffSession = z.infer<typeof SessionSchema>;

export interface SessionPolicy {
  /** Signed out after this long without a request. */
  idleMs: number;
  /** Signed out this long after signing in, however active. */
  absoluteMs: number;
}

/** Activity is written back at most this often: a page of requests costs one write, not one each. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Staff sessions, kept server-side in STATE_STORE so every instance knows them. The browser holds
 * only a random id; the store holds a hash of it, so a copy of the store opens no session.
 */
export class StaffSessions {
  constructor(
    private readonly store: KeyValueStore,
    private readonly policy: SessionPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new session with a new id (never one the browser brought). */
  async create(
    who: Pick<StaffSession, 'email' | 'role' | 'name' | 'via'>,
  ): Promise<{ id: string; session: StaffSession }> {
    const id = randomToken();
    const at = this.now().toISOString();
    const session: StaffSession = { ...who, csrf: randomToken(), createdAt: at, lastSeenAt: at };
    await this.store.write({ [sessionKey(id)]: { ...session } });
    return { id, session };
  }

  /** The live session for an id; an expired one is deleted and undefined returned. */
  async get(id: string | undefined): Promise<StaffSession | undefined> {
    if (!id || !/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
    const key = sessionKey(id);
    const item = (await this.store.read([key]))[key];
    if (!item) return undefined;
    const parsed = SessionSchema.safeParse(item);
    const at = this.now().getTime();
    if (
      !parsed.success ||
      at - Date.parse(parsed.data.lastSeenAt) > this.policy.idleMs ||
      at - Date.parse(parsed.data.createdAt) > this.policy.absoluteMs
    ) {
      await this.store.delete([key]);
      return undefined;
    }
    const session = parsed.data;
    if (at - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(at).toISOString();
      // Overwrites: two requests touching at once both write "now".
      await this.store.write({ [key]: { ...session } });
    }
    return session;
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.store.delete([sessionKey(id)]);
  }
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function sessionKey(id: string): string {
  return `staff/session/${createHash('sha256').update(id).digest('hex')}`;
}

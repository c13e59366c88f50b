import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a Direct Line token grants: one conversation, as one user. */
export interface ConversationGrant {
  conversationId: string;
  userId: string;
  /** Seconds since the epoch after which the token no longer opens the conversation. */
  expiresAt: number;
}

export interface IssuedToken {
  token: string;
  /** Seconds the token is valid for, as Azure's Direct Line reports it. */
  expiresIn: number;
}

/** A fresh id that cannot be guessed (128 bits): conversation ids and user ids. */
export function randomId(prefix = ''): string {
  return `${prefix}${randomBytes(16).toString('base64url')}`;
}

/**
 * Per-conversation tokens of the embedded Direct Line: the grant, signed with HMAC-SHA256. A
 * visitor holds only their own token, so they can read and write only their own conversation; the
 * server keeps no token table, so tokens survive a restart when the key does.
 */
export class ConversationTokens {
  constructor(
    private readonly key: Buffer,
    readonly lifetimeSeconds: number,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    if (key.length < 32) throw new Error('The Direct Line token key must be at least 32 bytes');
  }

  issue(conversationId: string, userId: string): IssuedToken {
    const grant: ConversationGrant = { conversationId, userId, expiresAt: this.nowSeconds() + this.lifetimeSeconds };
    const payload = Buffer.from(JSON.stringify([grant.conversationId, grant.userId, grant.expiresAt])).toString(
      'base64url',
    );
    return { token: `${payload}.${this.sign(payload)}`, expiresIn: this.lifetimeSeconds };
  }

  /** The grant of a genuine, unexpired token; undefined for anything else. */
  verify(token: string): ConversationGrant | undefined {
    const grant = this.open(token);
    return grant && grant.expiresAt > this.nowSeconds() ? grant : undefined;
  }

  /**
   * The grant of a genuine token that expired less than `graceSeconds` ago, or is still valid: a
   * visitor who comes back to the page within the history window resumes their conversation.
   */
  verifyForResume(token: string, graceSeconds: number): ConversationGrant | undefined {
    const grant = this.open(token);
    return grant && grant.expiresAt + graceSeconds > this.nowSeconds() ? grant : undefined;
  }

  private open(token: string): ConversationGrant | undefined {
    if (typeof token !== 'string' || token.length > 512) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (!Array.isArray(parsed)) return undefined;
      const conversationId: unknown = parsed[0];
      const userId: unknown = parsed[1];
      const expiresAt: unknown = parsed[2];
      if (typeof conversationId !== 'string' || typeof userId !== 'string' || typeof expiresAt !== 'number')
        return undefined;
      return { conversationId, userId, expiresAt };
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/**
 * The signing key: DIRECT_LINE_TOKEN_KEY when set (several instances must share it), otherwise a
 * random key kept in the data folder (readable by this user only), so a restart keeps visitors'
 * conversations open.
 */
export function tokenKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, 'directline-token.key');
  try {
    const existing = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

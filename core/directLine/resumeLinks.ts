import { createHmac } from 'node:crypto';
import { ConversationGrant, ConversationTokens } from './conversationTokens';

/** What the key of resume links is derived with: a link is never a Direct Line token, nor the other way round. */
const KEY_PURPOSE = 'clinic-bot/resume-link/v1';

/**
 * The tokens of links that reopen an embedded web chat conversation (a nudge by the clinic's SMS or
 * email): the conversation id, the user id and an expiry, signed with a key derived from the
 * Direct Line token key. Both ids are random; the token names no patient and says nothing of health.
 */
export class ResumeLinks {
  private readonly tokens: ConversationTokens;

  constructor(directLineKey: Buffer, lifetimeSeconds: number, nowSeconds?: () => number) {
    const key = createHmac('sha256', directLineKey).update(KEY_PURPOSE).digest();
    this.tokens = new ConversationTokens(key, Math.max(1, Math.round(lifetimeSeconds)), nowSeconds);
  }

  get lifetimeSeconds(): number {
    return this.tokens.lifetimeSeconds;
  }

  /** A token that reopens this conversation, as this user, until it expires. */
  issue(conversationId: string, userId: string): string {
    return this.tokens.issue(conversationId, userId).token;
  }

  /** The conversation of a genuine, unexpired link token; undefined for anything else. */
  open(token: string): ConversationGrant | undefined {
    return this.tokens.verify(token);
  }
}

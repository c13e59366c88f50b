import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

const ALLOWED: LimitVerdict = { allowed: true };

/**
 * Requests per minute per client address and per conversation, counted in this process's memory
 * (fixed one-minute windows). Several instances each count on their own: with N instances behind
 * a load balancer a client gets up to N times the limit unless the limiter is given a shared store.
 */
export class RequestLimits {
  private readonly perClient?: RateLimiterMemory;
  private readonly perConversation?: RateLimiterMemory;

  constructor(limits: { ipPerMinute: number; conversationPerMinute: number }) {
    if (limits.ipPerMinute > 0)
      this.perClient = new RateLimiterMemory({ keyPrefix: 'ip', points: limits.ipPerMinute, duration: 60 });
    if (limits.conversationPerMinute > 0) {
      this.perConversation = new RateLimiterMemory({
        keyPrefix: 'conversation',
        points: limits.conversationPerMinute,
        duration: 60,
      });
    }
  }

  /** Counts one request from this client (see `limitKey`). */
  client(key: string): Promise<LimitVerdict> {
    return consume(this.perClient, key);
  }

  /** Counts one activity of this conversation (channel id and conversation id). */
  conversation(key: string): Promise<LimitVerdict> {
    return consume(this.perConversation, key);
  }
}

async function consume(limiter: RateLimiterMemory | undefined, key: string): Promise<LimitVerdict> {
  if (!limiter) return ALLOWED;
  try {
    await limiter.consume(key);
    return ALLOWED;
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
      firstRefusal: refusal.consumedPoints === limiter.points + 1,
    };
  }
}

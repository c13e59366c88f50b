import { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import { RetryableDeliveryError } from './deliveryClient';

type RetryBackoff = IBackoffFactory<IRetryBackoffContext<unknown>>;

/**
 * Waits as long as the endpoint's `Retry-After` asked, never longer than `maxMs`; without one,
 * the exponential backoff with jitter (which goes on from where it was).
 */
export class RetryAfterBackoff implements RetryBackoff {
  constructor(
    private readonly fallback: RetryBackoff,
    private readonly maxMs: number,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const fallback = this.fallback.next(context);
    const failure = 'error' in context.result ? context.result.error : undefined;
    const asked = failure instanceof RetryableDeliveryError ? failure.retryAfterMs : undefined;
    const following = new RetryAfterBackoff(fallback, this.maxMs);
    return {
      duration: asked === undefined ? fallback.duration : Math.min(asked, this.maxMs),
      next: (ctx) => following.next(ctx),
    };
  }
}

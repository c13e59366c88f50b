import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { randomUUID } from 'node:crypto';
import type { AnalyticsSink } from '../analytics/analyticsEvents';
import { BookingDesk, ForgetOutcome, SubmitOutcome } from './bookingDesk';
import { BookingRequest } from './bookingRequest';
import { DeliveryClient, RejectedDeliveryError, RetryableDeliveryError } from './deliveryClient';
import { BookingOutbox, OutboxRecord } from './outbox';
import { RetryAfterBackoff } from './retryAfterBackoff';

export interface RelayOptions {
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts in one delivery chain before the request waits for the next sweep. */
  maxAttempts: number;
  initialDelayMs: number;
  /** Cap of the exponential backoff (with jitter) between attempts. */
  maxDelayMs: number;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  breakerThreshold: number;
  breakerOpenMs: number;
  /** How often pending requests are looked for (after a restart, or when the endpoint was down). */
  sweepMs: number;
  /** How long a patient's turn waits for the endpoint before telling them "received". */
  turnWaitMs: number;
  /**
   * The first time a booking system is configured, pending requests older than this wait for
   * staff to release them instead of being sent (0 or absent: none are held).
   */
  holdOlderThanMs?: number;
}

/** What the relay logs: ids, counts and status codes only, never the patient's details. */
export interface RelayLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type DeliveryResult =
  | { kind: 'delivered'; reference?: string }
  | { kind: 'rejected'; statusCode: number }
  | { kind: 'pending' }
  /** The patient withdrew it (asked to be forgotten) before it reached the clinic. */
  | { kind: 'withdrawn' };

/** A delivery chain running in this process, so a withdrawal can stop it and know whether a POST was out. */
interface Chain {
  result: Promise<DeliveryResult>;
  abort: AbortController;
  /** A POST to the endpoint is under way right now. */
  sending: boolean;
}

/** Thrown inside a chain when the request is no longer kept: not retried. */
class WithdrawnError extends Error {
  override readonly name = 'WithdrawnError';
}

/**
 * Delivers kept booking requests to the clinic's booking system and keeps at it: a timeout per
 * attempt, exponential backoff with jitter, a circuit breaker shared by all requests, and a
 * periodic sweep that picks up whatever is still pending (after a restart or crash, or when
 * another instance gave up). A lease in the outbox makes one instance deliver each request.
 */
export class BookingRelay implements BookingDesk {
  readonly delivers: boolean;
  private readonly owner = randomUUID();
  private readonly breaker: CircuitBreakerPolicy | undefined;
  private readonly inFlight = new Map<string, Chain>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  /** The first-endpoint check, run before anything is sent; true once it has run. */
  private prepared: Promise<boolean> | undefined;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly outbox: BookingOutbox,
    private readonly client: DeliveryClient | undefined,
    private readonly options: RelayOptions,
    private readonly log: RelayLog,
    private readonly now: () => Date = () => new Date(),
    /** Staff's figures: each delivered request is counted. */
    private readonly analytics?: AnalyticsSink,
  ) {
    this.delivers = client !== undefined;
    this.breaker = client
      ? circuitBreaker(handleWhen(isRetryable), {
          halfOpenAfter: options.breakerOpenMs,
          breaker: new ConsecutiveBreaker(options.breakerThreshold),
        })
      : undefined;
    this.breaker?.onBreak(() =>
      this.log.warn({ event: 'booking-circuit', state: 'open' }, 'booking endpoint failing: pausing deliveries'),
    );
    this.breaker?.onReset(() =>
      this.log.info({ event: 'booking-circuit', state: 'closed' }, 'booking endpoint answering again'),
    );
  }

  /** A lease outlives the longest wait plus one attempt, so a live owner never loses it mid-attempt. */
  private get leaseMs(): number {
    return this.options.timeoutMs + this.options.maxDelayMs + 5_000;
  }

  /** Keeps the request, then waits up to `turnWaitMs` for the endpoint; delivery goes on afterwards. */
  async submit(request: BookingRequest, replyTo?: string): Promise<SubmitOutcome> {
    const record = await this.outbox.add(request, replyTo);
    if (record.status === 'delivered') return { kind: 'confirmed', reference: record.reference };
    if (!this.client || record.status === 'rejected') return { kind: 'received' };
    const delivery = this.deliver(request.requestId);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), this.options.turnWaitMs);
    });
    try {
      const result = await Promise.race([delivery, waited]);
      return result !== 'waited' && result.kind === 'delivered'
        ? { kind: 'confirmed', reference: result.reference }
        : { kind: 'received' };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one delivery chain for a request unless one is already running in this process. */
  deliver(requestId: string): Promise<DeliveryResult> {
    const running = this.inFlight.get(requestId);
    if (running) return running.result;
    const abort = new AbortController();
    const stopAll = (): void => abort.abort();
    this.abort.signal.addEventListener('abort', stopAll, { once: true });
    const chain: Chain = { result: Promise.resolve({ kind: 'pending' }), abort, sending: false };
    chain.result = this.runChain(requestId, chain).finally(() => {
      this.abort.signal.removeEventListener('abort', stopAll);
      this.inFlight.delete(requestId);
    });
    this.inFlight.set(requestId, chain);
    return chain.result;
  }

  /**
   * The patient asked to be forgotten: requests that have not reached the clinic are removed
   * from the outbox (never sent), those that have are reported. A request whose POST is under
   * way (here, or under another instance's lease) may have reached the clinic: it is removed
   * too, so no further attempt is made, but reported as delivered.
   */
  async forget(requestIds: readonly string[]): Promise<ForgetOutcome> {
    const outcome: ForgetOutcome = { removed: [], delivered: [] };
    for (const requestId of new Set(requestIds)) {
      const record = await this.outbox.get(requestId);
      if (record && (record.status === 'delivered' || record.handledAt !== undefined)) {
        outcome.delivered.push(requestId);
        continue;
      }
      // Removed first: every attempt checks the request is still kept before it starts.
      await this.outbox.remove(requestId);
      const chain = this.inFlight.get(requestId);
      const sendingHere = chain?.sending === true;
      chain?.abort.abort();
      const result = chain ? await chain.result : undefined;
      const leasedElsewhere =
        record?.lease !== undefined &&
        record.lease.owner !== this.owner &&
        record.lease.until > this.now().toISOString();
      const mayHaveArrived = result?.kind === 'delivered' || sendingHere || leasedElsewhere;
      (mayHaveArrived ? outcome.delivered : outcome.removed).push(requestId);
    }
    this.log.info(
      { event: 'booking-forget', removed: outcome.removed.length, delivered: outcome.delivered.length },
      "booking requests withdrawn at the patient's request",
    );
    return outcome;
  }

  /** Starts the periodic sweep (and one right away, for requests left from before a restart). */
  start(): void {
    if (!this.client || this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.options.sweepMs);
    this.timer.unref();
    void this.sweep();
  }

  /** One pass over the pending requests that are due; never runs twice at once. */
  sweep(): Promise<void> {
    if (!this.client || this.stopped) return Promise.resolve();
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    try {
      if (!(await this.ready())) return;
      const due = await this.outbox.due();
      await Promise.all(due.map((r) => this.deliver(r.request.requestId)));
    } catch (err) {
      this.log.error(
        { event: 'booking-sweep-failed', error: describe(err) },
        'could not look for pending booking requests',
      );
    }
  }

  /** Stops sweeping and abandons running chains; their leases expire and the requests stay pending. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await Promise.allSettled([...[...this.inFlight.values()].map((c) => c.result), this.sweeping]);
  }

  private async runChain(requestId: string, chain: Chain): Promise<DeliveryResult> {
    const client = this.client;
    const breaker = this.breaker;
    if (!client || !breaker || this.stopped) return { kind: 'pending' };
    if (!(await this.ready())) return { kind: 'pending' };
    const claimed = await this.outbox.claim(requestId, this.owner, this.leaseMs, true);
    if (!claimed) return this.resultOf(await this.outbox.get(requestId));

    let attempt = 0;
    let lastFailure: { error: string; statusCode?: number } | undefined;
    const policy = wrap(
      retry(handleWhen(isRetryable), {
        maxAttempts: this.options.maxAttempts - 1,
        backoff: new RetryAfterBackoff(
          new ExponentialBackoff({ initialDelay: this.options.initialDelayMs, maxDelay: this.options.maxDelayMs }),
          this.options.maxDelayMs,
        ),
      }),
      breaker,
      timeout(this.options.timeoutMs, TimeoutStrategy.Aggressive),
    );
    try {
      const { reference } = await policy.execute(async ({ signal }) => {
        attempt++;
        // Every retry records why the last attempt failed and renews
        // the lease, unless the patient withdrew it meanwhile.
        if (lastFailure) {
          if (!(await this.outbox.get(requestId))) throw new WithdrawnError();
          await this.outbox.noteFailure(requestId, this.owner, lastFailure.error, lastFailure.statusCode, this.leaseMs);
        }
        chain.sending = true;
        try {
          return await client.send(claimed.request, signal);
        } catch (err) {
          lastFailure = {
            error: describe(err),
            statusCode: err instanceof RetryableDeliveryError ? err.statusCode : undefined,
          };
          throw err;
        } finally {
          chain.sending = false;
        }
      }, chain.abort.signal);
      await this.outbox.markDelivered(requestId, reference);
      this.analytics?.record({ kind: 'booking-delivered' });
      this.log.info(
        { event: 'booking-delivered', requestId, attempts: claimed.attempts + attempt - 1 },
        'booking request delivered',
      );
      return { kind: 'delivered', reference };
    } catch (err) {
      if (err instanceof WithdrawnError || (chain.abort.signal.aborted && !this.stopped)) {
        this.log.info({ event: 'booking-withdrawn', requestId }, 'booking request withdrawn before delivery');
        return { kind: 'withdrawn' };
      }
      if (err instanceof RejectedDeliveryError) {
        await this.outbox.markRejected(requestId, err.statusCode);
        this.log.error(
          { event: 'booking-rejected', requestId, statusCode: err.statusCode },
          'booking endpoint refused the request: flagged for staff',
        );
        return { kind: 'rejected', statusCode: err.statusCode };
      }
      const retryAt = new Date(
        this.now().getTime() +
          (err instanceof BrokenCircuitError ? this.options.breakerOpenMs : this.options.maxDelayMs),
      );
      const statusCode = err instanceof RetryableDeliveryError ? err.statusCode : undefined;
      await this.outbox
        .releaseLease(requestId, this.owner, { error: describe(err), statusCode, retryAt })
        .catch((releaseError: unknown) =>
          this.log.error(
            { event: 'booking-release-failed', requestId, error: describe(releaseError) },
            'could not record a failed delivery',
          ),
        );
      this.log.warn(
        { event: 'booking-pending', requestId, error: describe(err), statusCode, retryAt: retryAt.toISOString() },
        'booking request still pending',
      );
      return { kind: 'pending' };
    }
  }

  /**
   * Holds old requests the first time a booking system is configured (once per process, before
   * any delivery); a failed check stops deliveries and is tried again on the next one.
   */
  private ready(): Promise<boolean> {
    this.prepared ??= this.outbox.holdOldOnFirstEndpoint(this.options.holdOlderThanMs ?? 0).then(
      ({ first, held }) => {
        if (held > 0) {
          this.log.warn(
            { event: 'booking-held', held, olderThanMs: this.options.holdOlderThanMs },
            'booking system configured for the first time: older requests held until staff release them',
          );
        } else if (first) {
          this.log.info({ event: 'booking-held', held }, 'booking system configured for the first time');
        }
        return true;
      },
      (err: unknown) => {
        this.prepared = undefined;
        this.log.error(
          { event: 'booking-hold-check-failed', error: describe(err) },
          'could not check for old booking requests: nothing is sent until it can',
        );
        return false;
      },
    );
    return this.prepared;
  }

  private resultOf(record: OutboxRecord | undefined): DeliveryResult {
    if (record?.status === 'delivered') return { kind: 'delivered', reference: record.reference };
    if (record?.status === 'rejected') return { kind: 'rejected', statusCode: record.lastStatusCode ?? 400 };
    return { kind: 'pending' };
  }
}

function isRetryable(err: Error): boolean {
  return err instanceof RetryableDeliveryError || err instanceof TaskCancelledError;
}

/** Short and free of patient data: error classes and status codes only. */
function describe(err: unknown): string {
  if (err instanceof RetryableDeliveryError) return err.reason;
  if (err instanceof TaskCancelledError) return 'timeout';
  if (err instanceof BrokenCircuitError) return 'circuit open';
  return err instanceof Error ? err.name : 'error';
}

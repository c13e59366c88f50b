import { createHmac } from 'node:crypto';
import { BookingAcceptedSchema, BookingRequest, BookingRequestSchema } from './bookingRequest';

/** A failure worth trying again: network error, timeout, 408, 429 or 5xx. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
  constructor(
    readonly reason: string,
    readonly statusCode?: number,
    /** How long the endpoint asked to be left alone (its `Retry-After`), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(`booking delivery failed: ${reason}`);
  }
}

/** The endpoint refused the request for good (3xx, or 4xx other than 408/429): retrying would not help. */
export class RejectedDeliveryError extends Error {
  override readonly name = 'RejectedDeliveryError';
  constructor(readonly statusCode: number) {
    super(`booking endpoint rejected the request: HTTP ${statusCode}`);
  }
}

export interface DeliveryClientOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** When set, the body is signed: `X-Booking-Signature: sha256=<hex HMAC-SHA256 of the body>`. */
  signingSecret?: string;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** The clock a `Retry-After` date is measured against; injected in tests. */
  now?: () => Date;
}

export const SIGNATURE_HEADER = 'X-Booking-Signature';

/** Signs a request body as the booking endpoint verifies it (see docs/booking-api.md). */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Sends one booking request to the clinic's booking system, once. Retrying, timing out and
 * circuit breaking are the relay's job; this only classifies what the endpoint said.
 */
export class DeliveryClient {
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;

  constructor(private readonly options: DeliveryClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? (() => new Date());
  }

  /** POSTs the request; resolves with the clinic's reference on 2xx, throws a classified error otherwise. */
  async send(request: BookingRequest, signal?: AbortSignal): Promise<{ reference?: string }> {
    const body = JSON.stringify(BookingRequestSchema.parse(request));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      Accept: 'application/json',
      'Idempotency-Key': request.requestId,
      'User-Agent': 'clinic-consultation-bot',
    };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (this.options.signingSecret) headers[SIGNATURE_HEADER] = signBody(body, this.options.signingSecret);

    let response: Response;
    try {
      response = await this.fetch(this.options.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    } catch (err) {
      throw new RetryableDeliveryError(signal?.aborted ? 'timeout' : `network (${errorCode(err)})`);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return { reference: referenceFrom(text) };
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      const retryAfter = retryAfterMs(response.headers.get('Retry-After'), this.now());
      throw new RetryableDeliveryError(`HTTP ${response.status}`, response.status, retryAfter);
    }
    throw new RejectedDeliveryError(response.status);
  }
}

/** RFC 9110's preferred date form and the obsolete RFC 850 one both name GMT; asctime's names no zone but means it. */
const GMT_DATE = /^[A-Za-z]{3,9}, [\dA-Za-z -]+ \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * What a `Retry-After` header asks, in milliseconds from `now`: delay-seconds ("120") or an HTTP
 * date (RFC 9110 §10.2.3); a date already past is 0; undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  const value = header?.trim() ?? '';
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  const at = GMT_DATE.test(value) ? Date.parse(value) : ASCTIME_DATE.test(value) ? Date.parse(`${value} GMT`) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function referenceFrom(text: string): string | undefined {
  try {
    const parsed = BookingAcceptedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.reference : undefined;
  } catch {
    return undefined;
  }
}

/** A short, content-free description of a network error ("ECONNREFUSED"). */
function errorCode(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : err instanceof Error ? err.name : 'error';
}

import { createHmac } from 'node:crypto';
import { BookingAcceptedSchema, BookingRequest, BookingRequestSchema } from './bookingRequest';

/** A failure worth trying again: network error, timeout, 408, 429 or 5xx. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
  constructor(
    readonly reason: string,
    readonly statusCode?: number,
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

  constructor(private readonly options: DeliveryClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
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
      throw new RetryableDeliveryError(`HTTP ${response.status}`, response.status);
    }
    throw new RejectedDeliveryError(response.status);
  }
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

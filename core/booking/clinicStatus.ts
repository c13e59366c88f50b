import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CLINIC_STATUSES } from './outbox';

/** What the clinic's booking system sends to POST /api/bookings/{requestId}/status (docs/booking-api.md). */
export const ClinicStatusBodySchema = z.object({
  status: z.enum(CLINIC_STATUSES),
  when: z.iso.datetime({ offset: true }).optional(),
  /** A short note for the patient from the clinic ("Please arrive 10 minutes early"). */
  message: z.string().trim().min(1).max(500).optional(),
});
export type ClinicStatusBody = z.infer<typeof ClinicStatusBodySchema>;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/**
 * Whether `header` is `sha256=<hex HMAC-SHA256 of the raw body>` with the shared secret, the way
 * the bot signs what it sends; compared in constant time.
 */
export function validSignature(raw: Buffer, header: unknown, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim().toLowerCase());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** The body's fingerprint: a call made again with the same body is a repeat. */
export function bodyHash(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

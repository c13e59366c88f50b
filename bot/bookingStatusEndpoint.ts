import * as restify from 'restify';
import { bodyHash, ClinicStatusBody, ClinicStatusBodySchema, validSignature } from '../core/booking/clinicStatus';
import { BookingOutbox } from '../core/booking/outbox';
import { DeliveryOutcome, PatientMessenger } from '../core/proactive/patientMessenger';
import { PatientAddresses } from '../core/proactive/patientAddresses';
import { Lang, localeOf } from '../core/text/language';
import { Replies } from '../dialogs/replies';
import { readJsonBody, sendError } from './httpGuards';
import { Logger } from './logger';

export const BOOKING_STATUS_ROUTE = '/api/bookings/:requestId/status';

export interface BookingStatusOptions {
  outbox: BookingOutbox;
  addresses: PatientAddresses;
  messenger: PatientMessenger;
  replies: Replies;
  /** BOOKING_SIGNING_SECRET: without it every call is refused (nobody could prove who sent it). */
  signingSecret?: string;
  maxBodyBytes: number;
  /** The clinic's time zone: "when" is told to the patient in it. */
  timeZone: () => string;
  log: Logger;
}

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The clinic's booking system tells the bot what became of a request: confirmed, declined or moved.
 * The body is signed like the requests the bot sends; a repeat is accepted and changes nothing;
 * the patient is told in their own conversation, in their language (docs/booking-api.md).
 */
export function registerBookingStatus(server: restify.Server, options: BookingStatusOptions): void {
  const { outbox, log } = options;
  server.post(BOOKING_STATUS_ROUTE, async (req: restify.Request, res: restify.Response) => {
    const body = await readJsonBody(req, options.maxBodyBytes);
    if (!body.ok) return sendError(res, body.status, body.body, {}, body.close);
    // The signature first: nothing about the request is revealed (not even whether it exists) to an unsigned call.
    if (
      !options.signingSecret ||
      !body.raw ||
      !validSignature(body.raw, req.headers['x-booking-signature'], options.signingSecret)
    ) {
      log.warn(
        { event: 'booking-status-refused', reason: 'signature' },
        'booking status call without a valid signature',
      );
      return sendError(res, 401, {
        error: 'unauthorized',
        message: 'X-Booking-Signature must be sha256=<hex HMAC-SHA256 of the raw body> with the shared secret.',
      });
    }
    const params: unknown = req.params;
    const requestId =
      typeof params === 'object' && params !== null && 'requestId' in params && typeof params.requestId === 'string'
        ? params.requestId
        : '';
    const parsed = ClinicStatusBodySchema.safeParse(body.value);
    if (!parsed.success)
      return sendError(res, 400, {
        error: 'bad-request',
        message:
          'Expected {"status": "confirmed" | "declined" | "rescheduled", "when"?: ISO date-time, "message"?: text}.',
      });
    const found = REQUEST_ID.test(requestId)
      ? await outbox.recordClinicUpdate(requestId.toLowerCase(), { ...parsed.data, bodyHash: bodyHash(body.raw) })
      : undefined;
    if (!found)
      return sendError(res, 404, { error: 'not-found', message: 'There is no booking request with this id.' });
    if (found.repeat) {
      res.send(200, { requestId: found.record.request.requestId, status: parsed.data.status, repeat: true });
      return;
    }
    const told = found.record.replyTo ? await tellPatient(options, found.record.replyTo, parsed.data) : undefined;
    log.info(
      {
        event: 'booking-status',
        requestId: found.record.request.requestId,
        status: parsed.data.status,
        told: told?.kind ?? 'no-conversation',
      },
      'the clinic answered a booking request',
    );
    res.send(200, { requestId: found.record.request.requestId, status: parsed.data.status, repeat: false });
  });
}

/** Tells the patient, in their language, what the clinic decided. */
async function tellPatient(
  options: BookingStatusOptions,
  addressKey: string,
  update: ClinicStatusBody,
): Promise<DeliveryOutcome> {
  const address = await options.addresses.get(addressKey);
  if (!address) return { kind: 'no-address' };
  const text = statusText(options, address.lang, update);
  try {
    return await options.messenger.deliver(addressKey, [{ purpose: 'booking-status', text }]);
  } catch (err) {
    return { kind: 'failed', error: err instanceof Error ? err.name : 'error' };
  }
}

function statusText(options: BookingStatusOptions, lang: Lang, update: ClinicStatusBody): string {
  const { replies } = options;
  const when = update.when ? formatWhen(update.when, lang, options.timeZone()) : undefined;
  const lines = [
    update.status === 'declined'
      ? replies.text(lang, 'bookingStatus.declined')
      : when
        ? replies.text(lang, `bookingStatus.${update.status}When`, { when })
        : replies.text(lang, `bookingStatus.${update.status}`),
  ];
  if (update.message) lines.push(replies.text(lang, 'bookingStatus.note', { message: update.message }));
  if (update.status !== 'declined') lines.push(replies.text(lang, 'bookingStatus.questions'));
  return lines.join('\n\n');
}

function formatWhen(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'full', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

import { BookingRequest } from './bookingRequest';

/**
 * What the patient may be told after submitting: "confirmed" only when the clinic's booking
 * system accepted the request (with its reference when it gave one); otherwise "received",
 * because the request is kept and will reach the clinic (or staff will pick it up).
 */
export type SubmitOutcome = { kind: 'confirmed'; reference?: string } | { kind: 'received' };

/** The booking side as the dialogs see it: SDK-free, so the dialog tests can use a fake. */
export interface BookingDesk {
  /** True when a booking endpoint is configured; false in the embedded default (staff export requests). */
  readonly delivers: boolean;
  /**
   * Keeps the request durably, then tries to deliver it for at most a few seconds. Calling it
   * again with the same requestId never creates a second request.
   */
  submit(request: BookingRequest): Promise<SubmitOutcome>;
}

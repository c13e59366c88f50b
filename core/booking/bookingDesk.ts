import { BookingRequest } from './bookingRequest';

/**
 * What the patient may be told after submitting: "confirmed" only when the clinic's booking
 * system accepted the request (with its reference when it gave one); otherwise "received",
 * because the request is kept and will reach the clinic (or staff will pick it up).
 */
export type SubmitOutcome = { kind: 'confirmed'; reference?: string } | { kind: 'received' };

/** What became of a patient's requests when they asked to be forgotten. */
export interface ForgetOutcome {
  /** Withdrawn before they reached the clinic (or already gone): they will never be sent. */
  removed: string[];
  /** Reached the clinic, or may have (an attempt was under way): only the clinic can delete them. */
  delivered: string[];
}

/** The booking side as the dialogs see it: SDK-free, so the dialog tests can use a fake. */
export interface BookingDesk {
  /** True when a booking endpoint is configured; false in the embedded default (staff export requests). */
  readonly delivers: boolean;
  /**
   * Keeps the request durably, then tries to deliver it for at most a few seconds. Calling it
   * again with the same requestId never creates a second request. `replyTo` is the patient's
   * conversation (a PatientAddresses key), told when the clinic's system confirms, declines or moves it.
   */
  submit(request: BookingRequest, replyTo?: string): Promise<SubmitOutcome>;
  /** Withdraws these requests where they have not reached the clinic, and says which ones had. */
  forget(requestIds: readonly string[]): Promise<ForgetOutcome>;
}

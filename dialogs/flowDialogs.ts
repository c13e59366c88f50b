import { Flow, FLOWS } from '../core/content/schemas';
import { AFTERCARE_DIALOG } from './aftercareDialog';
import { BOOKING_DIALOG } from './bookingDialog';
import { ForgetRequest } from './forgetMe';
import { SCREENING_DIALOG } from './screeningDialog';
import { WALKTHROUGH_DIALOG } from './walkthroughDialog';

/** The dialog of each guided conversation. */
export const FLOW_DIALOGS: Record<Flow, string> = {
  screening: SCREENING_DIALOG,
  walkthrough: WALKTHROUGH_DIALOG,
  aftercare: AFTERCARE_DIALOG,
  booking: BOOKING_DIALOG,
};

/** The result a guided conversation ends with when the patient's message asks for more than its end. */
export interface FlowEnd {
  kind: 'flow-end';
  /** Another guided conversation the message asked for ("walk me through it" during screening). */
  next?: { flow: Flow; message: string };
  /** "Forget me", confirmed: erase once the turn's work is done. */
  forget?: ForgetRequest;
}

/** Reads a dialog's result as a `FlowEnd`, or undefined when it is anything else. */
export function asFlowEnd(result: unknown): FlowEnd | undefined {
  if (typeof result !== 'object' || result === null || !('kind' in result) || result.kind !== 'flow-end')
    return undefined;
  const end: FlowEnd = { kind: 'flow-end' };
  if ('next' in result && isNext(result.next)) end.next = result.next;
  if ('forget' in result && isForget(result.forget)) end.forget = result.forget;
  return end;
}

function isNext(value: unknown): value is FlowEnd['next'] {
  if (typeof value !== 'object' || value === null || !('flow' in value) || !('message' in value)) return false;
  return FLOWS.some((f) => f === value.flow) && typeof value.message === 'string';
}

function isForget(value: unknown): value is ForgetRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'keepBookingTimes' in value &&
    Array.isArray(value.keepBookingTimes) &&
    value.keepBookingTimes.every((t) => typeof t === 'string')
  );
}

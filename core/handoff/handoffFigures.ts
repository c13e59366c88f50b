import { HandoffReason, HandoffRecord } from './handoffRecord';

/** What analytics shows of talking to a person over a period. */
export interface HandoffFigures {
  /** Handoffs queued in the period. */
  handoffs: number;
  byReason: Record<HandoffReason, number>;
  /** Of those: taken by staff, handed back to the bot, cancelled by the patient, unclaimed in time, still open. */
  claimed: number;
  resolved: number;
  abandoned: number;
  timedOut: number;
  open: number;
  /** Time from queueing to the first staff reply, over the handoffs that got one. */
  firstReply: { count: number; medianMs?: number; p90Ms?: number };
}

/** The figures of the handoffs queued in [from, to). */
export function handoffFigures(records: readonly HandoffRecord[], range: { from: Date; to: Date }): HandoffFigures {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const inRange = records.filter((r) => r.queuedAt >= from && r.queuedAt < to);
  const count = (test: (r: HandoffRecord) => boolean): number => inRange.filter(test).length;
  const waits = inRange
    .flatMap((r) => (r.firstStaffReplyAt ? [Date.parse(r.firstStaffReplyAt) - Date.parse(r.queuedAt)] : []))
    .sort((a, b) => a - b);
  return {
    handoffs: inRange.length,
    byReason: {
      asked: count((r) => r.reason === 'asked'),
      unanswered: count((r) => r.reason === 'unanswered'),
      'red-flag': count((r) => r.reason === 'red-flag'),
    },
    claimed: count((r) => r.claimedAt !== undefined),
    resolved: count((r) => r.state === 'resolved'),
    abandoned: count((r) => r.state === 'abandoned'),
    timedOut: count((r) => r.state === 'timed-out'),
    open: count((r) => r.state === 'waiting' || r.state === 'claimed'),
    firstReply: { count: waits.length, medianMs: percentile(waits, 0.5), p90Ms: percentile(waits, 0.9) },
  };
}

/** The nearest-rank percentile of sorted values; undefined for none. */
function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

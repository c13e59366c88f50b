import { ScreeningQuestion } from '../content/schemas';

/** A patient's answer; "skip" is kept apart so the summary can say it was not answered. */
export type ScreeningAnswer = 'yes' | 'no' | 'unsure' | 'skip';

export interface ScreeningOutcome {
  kind: 'suitable' | 'defer' | 'review';
  /** Temporary reasons to come back later (answered "yes" to a defer question). */
  deferFor: ScreeningQuestion[];
  /** Reasons a clinician must look first: "yes" to a review question, or "not sure"/skipped on any. */
  reviewFor: ScreeningQuestion[];
}

/**
 * Applies the screening rules. Any reason for a clinician to review wins over a temporary one,
 * and a question left unsure or unanswered is never read as "no".
 */
export function screeningOutcome(
  questions: readonly ScreeningQuestion[],
  answers: Readonly<Record<string, ScreeningAnswer>>,
): ScreeningOutcome {
  const deferFor: ScreeningQuestion[] = [];
  const reviewFor: ScreeningQuestion[] = [];
  for (const q of questions) {
    const a = answers[q.id];
    if (a === undefined || a === 'no') continue;
    if (a === 'yes' && q.onYes === 'defer') deferFor.push(q);
    else reviewFor.push(q);
  }
  const kind = reviewFor.length > 0 ? 'review' : deferFor.length > 0 ? 'defer' : 'suitable';
  return { kind, deferFor, reviewFor };
}

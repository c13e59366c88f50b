import { performance } from 'node:perf_hooks';

/**
 * Long work written as a generator: each `yield` is a point where it may pause. Run it to the end
 * at once with `finish`, or in short slices with `finishInSlices` so a server keeps answering
 * while it runs (training a matcher takes seconds).
 */
export type Steps<T> = Generator<void, T, void>;

export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the steps, giving the event loop a turn whenever a slice has run for `sliceMs`; an abort
 * stops the work at its next pause (the promise rejects with the signal's reason).
 */
export async function finishInSlices<T>(
  steps: Steps<T>,
  options: { sliceMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const { sliceMs = 15, signal } = options;
  let sliceEnds = performance.now() + sliceMs;
  for (;;) {
    signal?.throwIfAborted();
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= sliceEnds) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceEnds = performance.now() + sliceMs;
    }
  }
}

/** The instant tests live at unless they say otherwise: a Thursday afternoon, the clinic open. */
export const TEST_NOW = new Date('2026-03-05T15:00:00Z');

/** What the fake clock leaves real: the engine trains in setImmediate slices, and Node's streams need nextTick. */
const STAYS_REAL = ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'hrtime', 'performance'] as const;

/**
 * Fakes setTimeout, setInterval and Date from `start`: time moves only when the test advances it,
 * so retries, backoffs and waits happen exactly when the test says. Undo with jest.useRealTimers().
 */
export function useFakeClock(start: Date = TEST_NOW): void {
  jest.useFakeTimers({ now: start, doNotFake: [...STAYS_REAL] });
}

/** The fake clock's time, as the `now` option of the bot, the relay and the outbox. */
export function fakeNow(): Date {
  return new Date(jest.now());
}

/**
 * Holds Date still at `instant` with timers left real, for code that reads the system clock and
 * takes no clock of its own (botframework-connector's token validation).
 */
export function pinDate(instant: Date): void {
  jest.useFakeTimers({
    now: instant,
    doNotFake: [...STAYS_REAL, 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
  });
}

/**
 * Advances the fake clock `stepMs` at a time until `work` settles, for work that waits on timers
 * between turns of real work (setImmediate slices, I/O). Fails once `limitMs` of fake time passed.
 */
export async function advanceUntilSettled<T>(work: Promise<T>, stepMs = 10, limitMs = 60_000): Promise<T> {
  let settled = false;
  const done = (): void => {
    settled = true;
  };
  work.then(done, done);
  for (let advanced = 0; !settled; advanced += stepMs) {
    if (advanced >= limitMs) throw new Error(`still waiting after ${limitMs} ms of fake time`);
    await jest.advanceTimersByTimeAsync(stepMs);
  }
  return work;
}

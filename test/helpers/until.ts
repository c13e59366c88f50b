import { setTimeout as pause } from 'node:timers/promises';

const POLL_MS = 20;

/**
 * Waits until `condition` holds, looking every 20 ms, and fails naming `description` after
 * `timeoutMs`. For what a test cannot await: another process, a file watcher, a server's own
 * timers. Its pauses come from node:timers, which jest's fake timers leave real, so it also
 * waits for I/O while a test holds the clock still.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  description: string,
  timeoutMs = 15_000,
): Promise<void> {
  // Counted in pauses rather than read from a clock: Date may be faked by the test.
  for (let waited = 0; !(await condition()); waited += POLL_MS) {
    if (waited >= timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await pause(POLL_MS);
  }
}

import { Writable } from 'node:stream';
import pino from 'pino';
import { Logger } from '../../bot/logger';

/** A logger whose JSON lines the test can read back. */
export function captureLog(): { log: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const text = (): string => chunks.join('');
  return {
    log,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line): Record<string, unknown> => JSON.parse(line)),
  };
}

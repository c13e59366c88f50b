import { Writable } from 'node:stream';
import { createLogger, safeErrorMessage } from '../../bot/logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return {
    stream,
    lines: () =>
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('the service logger', () => {
  it('elides quoted data and scrubs contact details from error messages, and cuts them short', () => {
    expect(safeErrorMessage('write failed for {"name":"Ana García","email":"ana@example.com"}')).toBe(
      'write failed for {"…":"…","…":"…"}',
    );
    expect(safeErrorMessage('Unexpected token \'A\', "Ana García"... is not valid JSON')).toBe(
      'Unexpected token \'A\', "…"... is not valid JSON',
    );
    expect(safeErrorMessage('no route for ana@example.com or (201) 555-0123')).toBe('no route for [email] or [phone]');
    expect(safeErrorMessage("Cannot read properties of undefined (reading 'type')")).toBe(
      "Cannot read properties of undefined (reading 'type')",
    );
    expect(safeErrorMessage('x'.repeat(1000))).toHaveLength(301);
  });

  it(
    'writes an error, logged whole or as { name, message, stack }, ' + 'with a safe message and only the stack frames',
    () => {
      const { stream, lines } = capture();
      const log = createLogger('debug', stream);
      const error = new Error('could not store "Ana García, ana@example.com"');
      log.error({ event: 'a', err: error }, 'failed');
      log.error({ event: 'b', err: { name: error.name, message: error.message, stack: error.stack } }, 'failed');
      log.error({ event: 'c', message: 'reply to ana@example.com failed' }, 'failed');
      const written = JSON.stringify(lines());
      expect(written).not.toMatch(/Ana|García|ana@example/);
      const [a, b, c] = lines();
      expect(a.err).toMatchObject({ message: 'could not store "…"', stack: expect.stringMatching(/^\s+at /) });
      expect(b.err).toMatchObject({ message: 'could not store "…"' });
      expect(c.message).toBe('reply to [email] failed');
    },
  );
});

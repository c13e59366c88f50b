import pino, { DestinationStream, Logger } from 'pino';
import { scrubPersonalData } from '../core/privacy/scrubPersonalData';

export type { Logger };

/** Longest error message kept in a log line. */
const MAX_MESSAGE_CHARS = 300;

/**
 * An error message fit for the log. Messages of other libraries may quote the data they were
 * given (a store echoing the document it could not write, a parser quoting its input), so
 * quoted strings are elided, contact details scrubbed, and the rest cut short.
 */
export function safeErrorMessage(message: string): string {
  const elided = message.replace(/"(?:[^"\\\n]|\\.)*"/g, '"…"').replace(/`[^`\n]*`/g, '`…`');
  const scrubbed = scrubPersonalData(elided.slice(0, MAX_MESSAGE_CHARS * 2));
  return scrubbed.length > MAX_MESSAGE_CHARS ? `${scrubbed.slice(0, MAX_MESSAGE_CHARS)}…` : scrubbed;
}

/**
 * An error (or the `{ name, message, stack }` callers log) with its message made safe and only the stack's frames kept.
 */
function safeError(value: unknown): unknown {
  const err = value instanceof Error ? pino.stdSerializers.err(value) : value;
  if (typeof err !== 'object' || err === null) return typeof err === 'string' ? safeErrorMessage(err) : err;
  const safe: Record<string, unknown> = { ...err };
  // `*.name` is redacted (it may be a patient's name): an error's class is logged as `type`.
  if (typeof safe.name === 'string') {
    safe.type ??= safe.name;
    delete safe.name;
  }
  if (typeof safe.message === 'string') safe.message = safeErrorMessage(safe.message);
  // The stack's first line repeats the message; the frames say where it happened.
  if (typeof safe.stack === 'string')
    safe.stack = safe.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n');
  return safe;
}

/**
 * Structured JSON logs. Callers log ids, kinds and numbers only, never what a patient typed;
 * the redact list and the error serializers are a second line of defence for what must never be
 * written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'clinic-bot' },
    redact: {
      paths: ['text', '*.text', 'email', 'phone', 'name', '*.email', '*.phone', '*.name'],
      censor: '[redacted]',
    },
    serializers: {
      err: safeError,
      error: safeError,
      message: (m: unknown) => (typeof m === 'string' ? safeErrorMessage(m) : m),
    },
  };
  // Tests pass a stream to read every line the service writes; the service writes to stdout.
  return destination ? pino(options, destination) : pino(options);
}

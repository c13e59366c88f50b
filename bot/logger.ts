import pino, { Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Callers log ids, kinds and numbers only, never what a patient typed;
 * the redact list is a second line of defence for fields that must never be written.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'clinic-bot' },
    redact: { paths: ['text', '*.text', 'email', 'phone', 'name', '*.email', '*.phone', '*.name'], censor: '[redacted]' },
  });
}

/**
 * What the core and the dialogs log through: structured fields (ids, kinds, numbers, never what a
 * patient typed) and a short message. The service's pino logger (bot/logger.ts) is one.
 */
export interface Log {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

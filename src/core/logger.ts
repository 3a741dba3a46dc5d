import { pino } from 'pino';
import { SECRET_HEADERS } from './redact.js';

/** The subset of pino's API corral uses; pass any pino-compatible logger. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const noop = () => {};

/** A library must stay quiet unless asked: the default logger drops everything. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

/** Redaction paths for pino so secret headers never reach a log line. */
export const PINO_REDACT_PATHS: string[] = [...SECRET_HEADERS]
  .flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`, `request.headers["${h}"]`])
  .concat(['secret', 'secretKey', 'secret_key', 'token', '*.secret', '*.secretKey', '*.token']);

/** A pino logger with corral's redaction rules (used by the CLI). */
export function createLogger(options: { level?: string; name?: string; destination?: number } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'corral',
      level: options.level ?? 'info',
      redact: { paths: PINO_REDACT_PATHS, censor: '[REDACTED]' },
    },
    pino.destination(options.destination ?? 2),
  ) as unknown as Logger;
}

import { CommanderError } from 'commander';
import { ConfigError, isCorralError } from '../core/errors.js';

/** Exit codes: 0 ok, 1 runtime failure, 2 bad usage (flags, config). */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** Prints a one-line reason for `err` and returns the exit code it maps to. */
export function reportCliError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0; // --help, --version
    return EXIT_USAGE; // commander already printed its message
  }
  if (err instanceof ConfigError) {
    write(`corral: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (isCorralError(err)) {
    write(`corral: ${err.message} (${err.code})\n`);
    return EXIT_FAILURE;
  }
  write(`corral: ${(err as Error)?.message ?? String(err)}\n`);
  return EXIT_FAILURE;
}

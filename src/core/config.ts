import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Renders a zod issue path as `a.b[0].c`. */
export function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/**
 * Validates `input` against `schema`; on failure throws {@link ConfigError} naming the first offending field,
 * prefixed with `name` (for example `limiter.windows[0].limit`).
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, name = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(formatPath(name, issue.path), issue.message);
}

/** Reusable field schemas. */
export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().nonnegative();
export const positiveMs = z.number().positive().finite();
export const nonNegativeMs = z.number().nonnegative().finite();
export const probability = z.number().min(0).max(1);
export const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/**
 * Parses a rate such as `200/1m`, `10/1s`, `100/500ms` or `1000/min` into `{ limit, windowMs }`.
 * Throws ConfigError naming `field`.
 */
export function parseRate(text: string, field = 'rate'): { limit: number; windowMs: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d*(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?\s*$/i.exec(text);
  if (!m) throw new ConfigError(field, `expected <count>/<window> such as 200/1m, got "${text}"`);
  const limit = Number(m[1]);
  const amount = m[2] === '' ? 1 : Number(m[2]);
  const unit = (m[3] ?? 's').toLowerCase();
  const unitMs = unit === 'ms' ? 1 : unit === 's' || unit === 'sec' ? 1000 : unit === 'h' ? 3_600_000 : 60_000;
  const windowMs = amount * unitMs;
  if (!(limit > 0)) throw new ConfigError(field, 'count must be at least 1');
  if (!(windowMs > 0)) throw new ConfigError(field, 'window must be positive');
  return { limit, windowMs };
}

/** Parses a duration such as `250ms`, `5s`, `2m` or a bare number of ms. */
export function parseDuration(text: string, field = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) throw new ConfigError(field, `expected a duration such as 250ms or 5s, got "${text}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

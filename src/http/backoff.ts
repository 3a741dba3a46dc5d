/**
 * Backoff strategies, cockatiel-style: a factory yields the first {@link Backoff}; every backoff is an immutable
 * value holding one delay and producing the next. Randomness comes only from the injected {@link Random}.
 */
import { ConfigError } from '../core/errors.js';
import { type Random, systemRandom } from '../core/random.js';

/** Produces the backoff for the first retry. */
export interface BackoffFactory {
  next(): Backoff;
}

/** One delay in a sequence; `next()` returns the following one and leaves this one unchanged. */
export interface Backoff extends BackoffFactory {
  /** Milliseconds to wait before the retry this backoff belongs to. */
  readonly duration: number;
}

export interface DecorrelatedJitterOptions {
  /** Smallest delay and the seed of the sequence. @default 100 */
  baseMs?: number;
  /** Largest delay, applied after jitter. @default 300_000 (the seed's maximum) */
  capMs?: number;
  /** Source of jitter. @default systemRandom */
  random?: Random;
}

function positiveFinite(value: number, field: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(field, 'must be a positive finite number');
  return value;
}

class DecorrelatedStep implements Backoff {
  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: Random,
    readonly duration: number,
  ) {}
  next(): Backoff {
    return decorrelatedStep(this.baseMs, this.capMs, this.random, this.duration);
  }
}

/** AWS "decorrelated jitter": `min(cap, uniform(base, prev × 3))`, so delays grow but never synchronise. */
function decorrelatedStep(baseMs: number, capMs: number, random: Random, prevMs: number): Backoff {
  const upper = Math.max(baseMs, prevMs * 3);
  const delay = Math.min(capMs, baseMs + random.next() * (upper - baseMs));
  return new DecorrelatedStep(baseMs, capMs, random, delay);
}

/** Decorrelated jitter (Polly / AWS style); every delay lies in `[baseMs, capMs]`. */
export function decorrelatedJitter(options: DecorrelatedJitterOptions = {}): BackoffFactory {
  const baseMs = positiveFinite(options.baseMs ?? 100, 'backoff.baseMs');
  const capMs = positiveFinite(options.capMs ?? 300_000, 'backoff.capMs');
  if (capMs < baseMs) throw new ConfigError('backoff.capMs', 'must be at least baseMs');
  const random = options.random ?? systemRandom;
  return { next: () => decorrelatedStep(baseMs, capMs, random, baseMs) };
}

/** The same delay every time (tests, or deliberately simple callers). */
export function constantBackoff(delayMs: number): BackoffFactory {
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new ConfigError('backoff.delayMs', 'must be >= 0');
  const step: Backoff = { duration: delayMs, next: () => step };
  return step;
}

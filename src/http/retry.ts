/**
 * Retry policy: a pure `decide()` (attempt, elapsed time, idempotency, outcome → retry after N ms, or stop and why)
 * and an `execute()` loop around it. Bounded three ways: attempts, a total time budget, and the caller's signal.
 */
import { z } from 'zod';
import { type Clock, sleep, systemClock } from '../core/clock.js';
import { parseConfig } from '../core/config.js';
import { Emitter, type Event } from '../core/events.js';
import { type Random, systemRandom } from '../core/random.js';
import { type Backoff, type BackoffFactory, decorrelatedJitter } from './backoff.js';
import { type Classification, classifyOutcome, type Outcome, type OutcomeReason } from './classify.js';

export interface RetryPolicyOptions {
  /** Total attempts, the first included. @default 4 */
  maxAttempts?: number;
  /** Total time for all attempts and waits; a retry whose wait would overrun it is not made. @default 60_000 */
  budgetMs?: number;
  /** Delay sequence. @default decorrelatedJitter({ baseMs: 100, capMs: 300_000, random }) */
  backoff?: BackoffFactory;
  /** Time source for waits and the budget. @default systemClock */
  clock?: Clock;
  /** Jitter source of the default backoff. @default systemRandom */
  random?: Random;
  /**
   * Also retry non-idempotent requests when the outcome proves they were never processed (kind `retryable`: 429,
   * connection refused, DNS failure, connect timeout). Ambiguous outcomes are never retried for them. @default false
   */
  retryUnsent?: boolean;
}

/** Why the loop stopped. */
export type StopReason = 'success' | 'aborted' | 'not-retryable' | 'not-idempotent' | 'max-attempts' | 'budget';

export interface RetryContext {
  /** Attempts made so far (1 after the first). */
  attempt: number;
  /** Time since the first attempt started. */
  elapsedMs: number;
  /** Whether resending cannot cause a second effect (GET, DELETE by id, POST with a server-side dedupe key...). */
  idempotent: boolean;
  outcome: Outcome;
  /** The backoff returned by the previous retry decision; omitted before the first retry. */
  backoff?: Backoff;
  signal?: AbortSignal;
  /** Wall time used to read absolute server hints. @default clock.wallNow() */
  wallNowMs?: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; backoff: Backoff; classification: Classification }
  | {
      retry: false;
      reason: StopReason;
      classification: Classification;
      /** For `budget`: the wait that did not fit. */
      delayMs?: number;
    };

export interface RetryEvent {
  /** The attempt that failed (1-based); the next one is `attempt + 1`. */
  attempt: number;
  delayMs: number;
  reason: OutcomeReason;
}

export interface GiveUpEvent {
  attempts: number;
  reason: StopReason;
  /** Classification of the last outcome. */
  outcome: OutcomeReason;
}

export interface AttemptContext {
  /** 1-based attempt number. */
  attempt: number;
  signal?: AbortSignal;
}

export interface ExecuteOptions<T> {
  idempotent: boolean;
  signal?: AbortSignal;
  /** Maps a resolved value to an outcome. @default response-like values (numeric `status`) by status, others success */
  outcome?: (value: T) => Outcome;
}

const schema = z.object({
  maxAttempts: z.number().int().min(1).max(100).default(4),
  budgetMs: z.number().positive().max(86_400_000).default(60_000),
  backoff: z.custom<BackoffFactory>((v) => typeof (v as BackoffFactory | null)?.next === 'function').optional(),
  clock: z.custom<Clock>((v) => typeof (v as Clock | null)?.now === 'function').optional(),
  random: z.custom<Random>((v) => typeof (v as Random | null)?.next === 'function').optional(),
  retryUnsent: z.boolean().default(false),
});

/** Treats `{ status: number, headers? }` as an HTTP response; anything else as success. */
export function defaultOutcome(value: unknown): Outcome {
  if (typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number') {
    const v = value as { status: number; headers?: Record<string, string> };
    return { type: 'response', status: v.status, headers: v.headers };
  }
  return { type: 'success' };
}

export class RetryPolicy {
  readonly maxAttempts: number;
  readonly budgetMs: number;
  readonly retryUnsent: boolean;
  private readonly backoff: BackoffFactory;
  private readonly clock: Clock;
  private readonly retryEmitter = new Emitter<RetryEvent>();
  private readonly giveUpEmitter = new Emitter<GiveUpEvent>();
  /** Fired before each wait. */
  readonly onRetry: Event<RetryEvent> = this.retryEmitter.event;
  /** Fired when the loop ends without success. */
  readonly onGiveUp: Event<GiveUpEvent> = this.giveUpEmitter.event;

  constructor(options: RetryPolicyOptions = {}) {
    const o = parseConfig(schema, options, 'retry');
    this.maxAttempts = o.maxAttempts;
    this.budgetMs = o.budgetMs;
    this.retryUnsent = o.retryUnsent;
    this.clock = o.clock ?? systemClock;
    this.backoff = o.backoff ?? decorrelatedJitter({ random: o.random ?? systemRandom });
  }

  /** Decides whether to retry after one attempt. Pure apart from drawing jitter from the backoff's Random. */
  decide(ctx: RetryContext): RetryDecision {
    const classification = classifyOutcome(ctx.outcome, ctx.wallNowMs ?? this.clock.wallNow(), ctx.signal);
    const stop = (reason: StopReason, delayMs?: number): RetryDecision =>
      delayMs === undefined
        ? { retry: false, reason, classification }
        : { retry: false, reason, classification, delayMs };
    if (classification.kind === 'success') return stop('success');
    if (classification.reason === 'aborted' || ctx.signal?.aborted) return stop('aborted');
    if (classification.kind === 'fatal') return stop('not-retryable');
    if (!ctx.idempotent && !(this.retryUnsent && classification.kind === 'retryable')) return stop('not-idempotent');
    if (ctx.attempt >= this.maxAttempts) return stop('max-attempts');
    const backoff = ctx.backoff ? ctx.backoff.next() : this.backoff.next();
    // Never shorten a wait the server asked for; jitter only ever lengthens it.
    const delayMs = Math.max(backoff.duration, classification.retryAfterMs ?? 0);
    if (ctx.elapsedMs + delayMs > this.budgetMs) return stop('budget', delayMs);
    return { retry: true, delayMs, backoff, classification };
  }

  /**
   * Runs `fn` until it succeeds or `decide()` says stop. A final non-2xx response is returned (not thrown), so the
   * caller maps it to an error with the body in hand; a final error is rethrown as it was.
   */
  async execute<T>(fn: (attempt: AttemptContext) => Promise<T>, options: ExecuteOptions<T>): Promise<T> {
    const { signal, idempotent } = options;
    const toOutcome = options.outcome ?? defaultOutcome;
    const start = this.clock.now();
    let backoff: Backoff | undefined;
    for (let attempt = 1; ; attempt++) {
      let result: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        result = { ok: true, value: await fn(signal ? { attempt, signal } : { attempt }) };
      } catch (error) {
        result = { ok: false, error };
      }
      const outcome: Outcome = result.ok ? toOutcome(result.value) : { type: 'error', error: result.error };
      const elapsedMs = this.clock.now() - start;
      const d = this.decide({ attempt, elapsedMs, idempotent, outcome, backoff, signal });
      if (!d.retry) {
        if (d.reason !== 'success') {
          this.giveUpEmitter.fire({ attempts: attempt, reason: d.reason, outcome: d.classification.reason });
        }
        if (result.ok) return result.value;
        throw result.error;
      }
      this.retryEmitter.fire({ attempt, delayMs: d.delayMs, reason: d.classification.reason });
      backoff = d.backoff;
      try {
        await sleep(this.clock, d.delayMs, signal);
      } catch (abortErr) {
        this.giveUpEmitter.fire({ attempts: attempt, reason: 'aborted', outcome: 'aborted' });
        throw abortErr;
      }
    }
  }
}

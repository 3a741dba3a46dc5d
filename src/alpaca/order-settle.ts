import { sleep } from '../core/clock.js';
import { type Backoff, decorrelatedJitter } from '../http/backoff.js';
import type { OrderDeps } from './orders.js';

/** Shared loop state: budget, attempts, backoff. */
export class Settle {
  readonly start: number;
  attempts = 0;
  ambiguous = false;
  lastCause: unknown;
  private backoff: Backoff;
  constructor(
    private readonly d: Pick<OrderDeps, 'clock' | 'random'>,
    readonly budgetMs: number,
    readonly signal: AbortSignal | undefined,
  ) {
    this.start = d.clock.now();
    this.backoff = decorrelatedJitter({ baseMs: 50, capMs: 5_000, random: d.random }).next();
  }
  get remainingMs(): number {
    return this.budgetMs - (this.d.clock.now() - this.start);
  }
  /** Sleeps the next backoff step (or `atLeastMs`), capped by the budget; false when the budget is spent. */
  async pause(atLeastMs = 0): Promise<boolean> {
    const delay = Math.max(this.backoff.duration, atLeastMs);
    this.backoff = this.backoff.next();
    if (this.remainingMs <= 0) return false;
    await sleep(this.d.clock, Math.min(delay, this.remainingMs), this.signal);
    return this.remainingMs > 0;
  }
}

/**
 * The seed document's `AlpacaRateLimiter.wait_if_needed` (Python), ported as a baseline: a sliding log of send times
 * plus a minimum spacing between requests, serialised by a lock as `threading.Lock` does. Faithful to its choices:
 * it counts send times (not responses), prunes entries strictly older than the window and sleeps while holding the lock.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class SeedSlidingLog {
  private readonly log: number[] = [];
  private last = 0;
  private lock: Promise<void> = Promise.resolve();
  private readonly burstIntervalMs: number;

  constructor(
    private readonly maxPerWindow = 200,
    maxBurstPerSecond = 10,
    private readonly windowMs = 60_000,
  ) {
    this.burstIntervalMs = 1000 / maxBurstPerSecond;
  }

  waitIfNeeded(): Promise<void> {
    const run = this.lock.then(() => this.critical());
    this.lock = run.catch(() => {});
    return run;
  }

  private async critical(): Promise<void> {
    let now = performance.now();
    const sinceLast = now - this.last;
    if (sinceLast < this.burstIntervalMs) {
      await sleep(this.burstIntervalMs - sinceLast);
      now = performance.now();
    }
    while (this.log.length && now - this.log[0]! > this.windowMs) this.log.shift();
    if (this.log.length >= this.maxPerWindow) {
      const wait = this.windowMs - (now - this.log[0]!);
      if (wait > 0) {
        await sleep(wait);
        now = performance.now();
        while (this.log.length && now - this.log[0]! > this.windowMs) this.log.shift();
      }
    }
    this.log.push(now);
    this.last = now;
  }
}

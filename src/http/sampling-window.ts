/**
 * Success/failure counts over a sliding time window, kept in a fixed ring of time buckets (cockatiel's sampling
 * breaker, resilience4j's time window): O(buckets) memory however many calls, and old samples age out by time.
 */
export interface WindowCounts {
  successes: number;
  failures: number;
}

export class SamplingWindow {
  private readonly bucketMs: number;
  private readonly slots: number[];
  private readonly successes: number[];
  private readonly failures: number[];

  constructor(
    readonly windowMs: number,
    readonly buckets = 10,
  ) {
    this.bucketMs = windowMs / buckets;
    this.slots = new Array<number>(buckets).fill(Number.NEGATIVE_INFINITY);
    this.successes = new Array<number>(buckets).fill(0);
    this.failures = new Array<number>(buckets).fill(0);
  }

  record(now: number, failed: boolean): void {
    const slot = Math.floor(now / this.bucketMs);
    const i = ((slot % this.buckets) + this.buckets) % this.buckets;
    if (this.slots[i] !== slot) {
      this.slots[i] = slot;
      this.successes[i] = 0;
      this.failures[i] = 0;
    }
    if (failed) this.failures[i]!++;
    else this.successes[i]!++;
  }

  /** Counts of the buckets overlapping the last `windowMs`. */
  counts(now: number): WindowCounts {
    const current = Math.floor(now / this.bucketMs);
    let successes = 0;
    let failures = 0;
    for (let i = 0; i < this.buckets; i++) {
      if (this.slots[i]! > current - this.buckets) {
        successes += this.successes[i]!;
        failures += this.failures[i]!;
      }
    }
    return { successes, failures };
  }

  reset(): void {
    this.slots.fill(Number.NEGATIVE_INFINITY);
    this.successes.fill(0);
    this.failures.fill(0);
  }
}

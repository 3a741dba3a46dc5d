/**
 * Exact sliding log with in-flight holds over several windows (the MemoryStore, and the RedisStore's local fallback).
 *
 * A record counts in every window while in flight; once released at `r` it counts in window `W` until `r + W`
 * (the server may have received it as late as its response). Released records arrive in release-time order, so one
 * deque serves all windows: per window a pointer to the first unexpired record and a running sum of the weights from
 * there make each check O(1) amortised.
 */

interface Hold {
  weight: number;
  admittedAt: number;
}

/** A record as exported for write-back to another store. */
export interface LogRecord {
  id: string;
  weight: number;
  /** ms since admission (in flight) or since release (released). */
  agoMs: number;
}

export class SlidingLog {
  private readonly inFlight = new Map<string, Hold>();
  private inFlightWeight = 0;
  // Released records: parallel typed arrays used as a deque [head, tail).
  private relAt = new Float64Array(64);
  private relW = new Float64Array(64);
  private head = 0;
  private tail = 0;
  private lastReleaseAt = Number.NEGATIVE_INFINITY;
  private readonly ptr: number[];
  private readonly sum: number[];
  private readonly largest: number;

  constructor(
    readonly windowsMs: readonly number[],
    private readonly maxHoldMs: number,
  ) {
    this.ptr = windowsMs.map(() => 0);
    this.sum = windowsMs.map(() => 0);
    this.largest = windowsMs.indexOf(Math.max(...windowsMs));
  }

  /** Weight counted in each window at `now`. */
  used(now: number): number[] {
    this.advance(now);
    return this.sum.map((s) => s + this.inFlightWeight);
  }

  /** Weight held by records not yet released. */
  get holding(): number {
    return this.inFlightWeight;
  }

  /** Admits `weight` as record `id` if every window fits under `caps`; returns 0, or the wait in ms when it does not. */
  admit(now: number, id: string, weight: number, caps: readonly number[]): number {
    this.advance(now);
    for (let j = 0; j < caps.length; j++) {
      if (this.inFlightWeight + this.sum[j]! + weight > caps[j]!) return this.waitFor(now, weight, caps);
    }
    this.inFlight.set(id, { weight, admittedAt: now });
    this.inFlightWeight += weight;
    return 0;
  }

  /**
   * Predicted wait until `demand` more weight fits (0 = now). Released records expire at `r + W`; in-flight ones no
   * earlier than `now + W` (they could be released now). Demand beyond one window's cap is served in generations:
   * each admitted unit frees its place one window after it was admitted.
   */
  waitFor(now: number, demand: number, caps: readonly number[]): number {
    this.advance(now);
    let wait = 0;
    for (let j = 0; j < caps.length; j++) {
      const cap = caps[j]!;
      const windowMs = this.windowsMs[j]!;
      if (!(cap >= 1)) return Number.POSITIVE_INFINITY;
      const used = this.inFlightWeight + this.sum[j]!;
      let m = used + demand - cap;
      if (m <= 0) continue;
      let t = 0;
      if (m > used) {
        const generations = Math.ceil((m - used) / cap);
        t = generations * windowMs;
        m -= generations * cap;
      }
      if (m > 0) t += this.unitExpiry(j, m, now) - now;
      if (t > wait) wait = t;
    }
    return wait;
  }

  /** Ends the hold of `id`. `sent: false` removes the record (refund). Returns false if `id` is not held. */
  release(now: number, id: string, sent: boolean): boolean {
    const hold = this.inFlight.get(id);
    if (!hold) return false;
    this.inFlight.delete(id);
    this.inFlightWeight -= hold.weight;
    if (sent) this.push(now, hold.weight);
    return true;
  }

  /** Whether `id` is still held. */
  has(id: string): boolean {
    return this.inFlight.has(id);
  }

  /** Every record that still counts in some window (for writing local admissions back to a shared store). */
  records(now: number): { inFlight: LogRecord[]; released: LogRecord[] } {
    this.advance(now);
    const inFlight: LogRecord[] = [];
    for (const [id, h] of this.inFlight) inFlight.push({ id, weight: h.weight, agoMs: now - h.admittedAt });
    const released: LogRecord[] = [];
    for (let i = this.ptr[this.largest]!; i < this.tail; i++) {
      released.push({ id: `r${i}`, weight: this.relW[i]!, agoMs: now - this.relAt[i]! });
    }
    return { inFlight, released };
  }

  /** When the m-th unit (in expiry order) counted in window j stops counting. */
  private unitExpiry(j: number, m: number, now: number): number {
    const windowMs = this.windowsMs[j]!;
    let acc = 0;
    for (let i = this.ptr[j]!; i < this.tail; i++) {
      acc += this.relW[i]!;
      if (acc >= m) return this.relAt[i]! + windowMs;
    }
    return now + windowMs;
  }

  /** Auto-releases holds older than maxHoldMs and moves each window's pointer past expired records. */
  private advance(now: number): void {
    if (this.inFlight.size > 0) {
      // Map iteration follows insertion order = admission order, so the oldest holds come first.
      for (const [id, h] of this.inFlight) {
        if (h.admittedAt + this.maxHoldMs > now) break;
        this.inFlight.delete(id);
        this.inFlightWeight -= h.weight;
        this.push(h.admittedAt + this.maxHoldMs, h.weight);
      }
    }
    let minPtr = this.tail;
    for (let j = 0; j < this.ptr.length; j++) {
      const windowMs = this.windowsMs[j]!;
      let p = this.ptr[j]!;
      let s = this.sum[j]!;
      while (p < this.tail && this.relAt[p]! + windowMs <= now) {
        s -= this.relW[p]!;
        p++;
      }
      this.ptr[j] = p;
      this.sum[j] = s;
      if (p < minPtr) minPtr = p;
    }
    this.head = minPtr;
    if (this.head === this.tail) {
      // Everything expired in every window: rewind for free.
      this.head = 0;
      this.tail = 0;
      for (let j = 0; j < this.ptr.length; j++) this.ptr[j] = 0;
    }
  }

  /** Appends a released record; release times are kept non-decreasing so the deque stays sorted by expiry. */
  private push(at: number, weight: number): void {
    const t = Math.max(at, this.lastReleaseAt);
    this.lastReleaseAt = t;
    if (this.tail === this.relAt.length) this.makeRoom();
    this.relAt[this.tail] = t;
    this.relW[this.tail] = weight;
    this.tail++;
    for (let j = 0; j < this.sum.length; j++) this.sum[j]! += weight;
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    if (this.head > 0 && live <= this.relAt.length / 2) {
      this.relAt.copyWithin(0, this.head, this.tail);
      this.relW.copyWithin(0, this.head, this.tail);
    } else {
      const at = new Float64Array(this.relAt.length * 2);
      const w = new Float64Array(this.relW.length * 2);
      at.set(this.relAt.subarray(this.head, this.tail));
      w.set(this.relW.subarray(this.head, this.tail));
      this.relAt = at;
      this.relW = w;
    }
    for (let j = 0; j < this.ptr.length; j++) this.ptr[j]! -= this.head;
    this.tail = live;
    this.head = 0;
  }
}

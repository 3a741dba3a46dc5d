/**
 * Exact sliding log with in-flight holds over several windows (the MemoryStore, and the RedisStore's local fallback).
 *
 * A record counts in every window while in flight; once released at `r` it counts in window `W` until `r + W`
 * (the server may have received it as late as its response). Released records arrive in release-time order, so one
 * deque serves all windows: per window a pointer to the first unexpired record and a running sum of the weights from
 * there make each check O(1) amortised.
 */

/** A record as exported for write-back to another store. */
export interface LogRecord {
  id: string;
  weight: number;
  /** ms since admission (in flight) or since release (released). */
  agoMs: number;
}

const LIVE = 1;
const DONE = 2;

export class SlidingLog {
  // In-flight holds: a ring indexed by hold number (admission order), so the hot path allocates nothing and needs no
  // hash lookups. Holds in [head, next) may be live; released ones are skipped lazily when they reach the head.
  private holdAt = new Float64Array(256);
  private holdW = new Float64Array(256);
  private holdState = new Uint8Array(256);
  private holdMask = 255;
  private holdHead = 0;
  private holdNext = 0;
  private liveHolds = 0;
  /** String ids (the Redis fallback's record ids) → hold numbers; unused on the memory store's fast path. */
  private readonly ids = new Map<string, number>();
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
  /** Coalescing quantum: 1 ms, or a thousandth of the shortest window if that is shorter. */
  private readonly mergeMs: number;

  constructor(
    readonly windowsMs: readonly number[],
    private readonly maxHoldMs: number,
  ) {
    this.mergeMs = Math.min(1, Math.min(...windowsMs) / 1000);
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
    const hold = this.admitHold(now, weight, caps);
    if (hold < 0) return this.waitFor(now, weight, caps);
    this.ids.set(id, hold);
    return 0;
  }

  /** The allocation-free admission: the hold number (≥ 0) when `weight` fits under `caps` at `now`, else -1. */
  admitHold(now: number, weight: number, caps: readonly number[]): number {
    this.advance(now);
    const held = this.inFlightWeight + weight;
    for (let j = 0; j < caps.length; j++) if (held + this.sum[j]! > caps[j]!) return -1;
    if (this.holdNext - this.holdHead > this.holdMask) this.growHolds();
    const hold = this.holdNext++;
    const slot = hold & this.holdMask;
    this.holdAt[slot] = now;
    this.holdW[slot] = weight;
    this.holdState[slot] = LIVE;
    this.liveHolds++;
    this.inFlightWeight = held;
    return hold;
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
    const hold = this.ids.get(id);
    if (hold === undefined) return false;
    this.ids.delete(id);
    return this.releaseHold(now, hold, sent);
  }

  /** Ends hold number `hold` (from admitHold). Returns false if it is not held (already released or auto-released). */
  releaseHold(now: number, hold: number, sent: boolean): boolean {
    if (hold < this.holdHead || hold >= this.holdNext) return false;
    const slot = hold & this.holdMask;
    if (this.holdState[slot] !== LIVE) return false;
    this.holdState[slot] = DONE;
    this.liveHolds--;
    const w = this.holdW[slot]!;
    this.inFlightWeight -= w;
    if (sent) this.push(now, w);
    if (hold === this.holdHead) this.trimHolds();
    return true;
  }

  /** Whether `id` is still held. */
  has(id: string): boolean {
    const hold = this.ids.get(id);
    return hold !== undefined && hold >= this.holdHead && this.holdState[hold & this.holdMask] === LIVE;
  }

  /** Every record that still counts in some window (for writing local admissions back to a shared store). */
  records(now: number): { inFlight: LogRecord[]; released: LogRecord[] } {
    this.advance(now);
    const inFlight: LogRecord[] = [];
    const idOf = new Map<number, string>();
    for (const [id, hold] of this.ids) idOf.set(hold, id);
    for (let h = this.holdHead; h < this.holdNext; h++) {
      const slot = h & this.holdMask;
      if (this.holdState[slot] !== LIVE) continue;
      inFlight.push({ id: idOf.get(h) ?? `h${h}`, weight: this.holdW[slot]!, agoMs: now - this.holdAt[slot]! });
    }
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
    // Holds are in admission order, so only the oldest can have outlived maxHoldMs.
    while (this.liveHolds > 0) {
      const slot = this.holdHead & this.holdMask;
      const at = this.holdAt[slot]!;
      if (at + this.maxHoldMs > now) break;
      this.holdState[slot] = DONE;
      this.liveHolds--;
      this.inFlightWeight -= this.holdW[slot]!;
      this.push(at + this.maxHoldMs, this.holdW[slot]!);
      this.trimHolds();
      if (this.ids.size > 2 * this.liveHolds + 1024) this.pruneIds();
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

  /** Moves the hold head past released holds. */
  private trimHolds(): void {
    while (this.holdHead < this.holdNext && this.holdState[this.holdHead & this.holdMask] !== LIVE) {
      this.holdState[this.holdHead & this.holdMask] = 0;
      this.holdHead++;
    }
    if (this.liveHolds === 0 && this.ids.size > 0) this.ids.clear();
  }

  /** Drops string ids whose holds were auto-released (nobody will release them by id any more). */
  private pruneIds(): void {
    for (const [id, h] of this.ids)
      if (h < this.holdHead || this.holdState[h & this.holdMask] !== LIVE) this.ids.delete(id);
  }

  /** Doubles the hold ring, moving its (at most two) contiguous runs with block copies. */
  private growHolds(): void {
    const n = this.holdMask + 1;
    const size = n * 2;
    const at = new Float64Array(size);
    const w = new Float64Array(size);
    const st = new Uint8Array(size);
    const move = (hold: number, from: number, len: number) => {
      const to = hold & (size - 1);
      at.set(this.holdAt.subarray(from, from + len), to);
      w.set(this.holdW.subarray(from, from + len), to);
      st.set(this.holdState.subarray(from, from + len), to);
    };
    const headSlot = this.holdHead & this.holdMask;
    const live = this.holdNext - this.holdHead;
    const first = Math.min(live, n - headSlot);
    move(this.holdHead, headSlot, first);
    if (live > first) move(this.holdHead + first, 0, live - first);
    this.holdAt = at;
    this.holdW = w;
    this.holdState = st;
    this.holdMask = size - 1;
  }

  /** Appends a released record; release times are kept non-decreasing so the deque stays sorted by expiry. */
  private push(at: number, weight: number): void {
    const t = Math.max(at, this.lastReleaseAt);
    this.lastReleaseAt = t;
    for (let j = 0; j < this.sum.length; j++) this.sum[j]! += weight;
    // Releases closer than `mergeMs` share one record stamped with the later time: conservative by at most mergeMs,
    // and the log stays bounded (≤ window / mergeMs records) whatever the request rate.
    if (this.tail > this.head && t - this.relAt[this.tail - 1]! < this.mergeMs) {
      this.relAt[this.tail - 1] = t;
      this.relW[this.tail - 1]! += weight;
      return;
    }
    if (this.tail === this.relAt.length) this.makeRoom();
    this.relAt[this.tail] = t;
    this.relW[this.tail] = weight;
    this.tail++;
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

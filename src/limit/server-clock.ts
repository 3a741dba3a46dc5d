/**
 * Estimates the server's clock from `Date` headers, to turn X-RateLimit-Reset (server epoch seconds) and
 * Retry-After dates into local durations. A `Date` of second resolution says the server's time was in
 * [Date, Date + 1000) when the response was made, so the offset lies in [Date − t, Date + 1000 − t] for local time t.
 * Intervals are intersected over observations (they narrow to the true offset) and reset when inconsistent (a
 * server clock step). Offsets are kept against the monotonic clock so a local NTP step cannot corrupt them.
 */
export class ServerClock {
  private lo = Number.NEGATIVE_INFINITY;
  private hi = Number.POSITIVE_INFINITY;
  /** How often the estimate was reset because a new observation contradicted it. */
  resets = 0;

  /** Records a `Date` header (epoch ms) seen at monotonic time `now`. */
  observe(dateEpochMs: number, now: number): void {
    const lo = dateEpochMs - now;
    const hi = dateEpochMs + 1000 - now;
    const nlo = Math.max(this.lo, lo);
    const nhi = Math.min(this.hi, hi);
    if (nlo > nhi) {
      this.lo = lo;
      this.hi = hi;
      this.resets++;
    } else {
      this.lo = nlo;
      this.hi = nhi;
    }
  }

  get known(): boolean {
    return this.lo > Number.NEGATIVE_INFINITY;
  }

  /**
   * The earliest the server's epoch time can be now. Durations to a server time computed from it err long.
   * Without any `Date` seen, the local wall clock stands in.
   */
  earliestServerNow(now: number, wallNow: number): number {
    return this.known ? now + this.lo : wallNow;
  }

  /** Server clock minus local wall clock, as an interval (undefined before the first `Date`). */
  offsetFromWall(now: number, wallNow: number): { min: number; max: number } | undefined {
    if (!this.known) return undefined;
    return { min: now + this.lo - wallNow, max: now + this.hi - wallNow };
  }
}

import type { Lane, WindowLimit, WindowSnapshot } from './types.js';

/**
 * The current limits (they change when the server reports a different X-RateLimit-Limit) and each lane's caps:
 * the critical lane may use the whole window, every other lane `limit − reserve`, with
 * `reserve = min(limit − 1, ceil(limit × criticalReserve))`.
 */
export class LimitTable {
  readonly windows: WindowLimit[];
  readonly windowsMs: readonly number[];
  /** Index of the longest window: the one X-RateLimit-Limit ("per minute") describes. */
  readonly main: number;
  private reserves: number[] = [];
  private capsCritical: number[] = [];
  private capsOther: number[] = [];

  constructor(
    windows: readonly WindowLimit[],
    private readonly criticalReserve: number,
  ) {
    this.windows = windows.map((w) => ({ ...w }));
    this.windowsMs = this.windows.map((w) => w.windowMs);
    this.main = this.windowsMs.indexOf(Math.max(...this.windowsMs));
    this.recompute();
  }

  caps(lane: Lane): readonly number[] {
    return lane === 'critical' ? this.capsCritical : this.capsOther;
  }

  reserve(j: number): number {
    return this.reserves[j]!;
  }

  /** Reserve kept back from a non-critical lane in the server's (main window) view. */
  serverReserve(lane: Lane): number {
    return lane === 'critical' ? 0 : this.reserves[this.main]!;
  }

  /** Largest weight the lane could ever be admitted with. */
  maxWeight(lane: Lane): number {
    return Math.min(...this.caps(lane));
  }

  /** Sets the main window's limit; returns the change, or undefined if it is the same. */
  setMainLimit(limit: number): { windowMs: number; from: number; to: number } | undefined {
    const w = this.windows[this.main]!;
    if (w.limit === limit) return undefined;
    const change = { windowMs: w.windowMs, from: w.limit, to: limit };
    w.limit = limit;
    this.recompute();
    return change;
  }

  /** Per window: limit, reserve and what each lane may still admit, given `used` and the share of caps in force. */
  snapshot(used: readonly number[], capShare: number): WindowSnapshot[] {
    const share = (c: number) => (capShare === 1 ? c : Math.max(1, Math.floor(c * capShare)));
    return this.windows.map((w, j) => {
      const u = used[j] ?? 0;
      return {
        limit: w.limit,
        windowMs: w.windowMs,
        reserve: this.reserves[j]!,
        used: u,
        remaining: Math.max(0, share(this.capsOther[j]!) - u),
        remainingCritical: Math.max(0, share(w.limit) - u),
      };
    });
  }

  private recompute(): void {
    // The epsilon keeps float noise (0.07 × 100 = 7.000000000000001) from rounding a reserve up.
    this.reserves = this.windows.map((w) =>
      Math.max(0, Math.min(w.limit - 1, Math.ceil(w.limit * this.criticalReserve - 1e-9))),
    );
    this.capsCritical = this.windows.map((w) => w.limit);
    this.capsOther = this.windows.map((w, j) => w.limit - this.reserves[j]!);
  }
}

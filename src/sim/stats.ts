import type { HostClass } from './types.js';

export interface RequestLogEntry {
  seq: number;
  /** Server wall time (epoch ms, fractional) when the request's headers arrived. */
  t: number;
  /** Account index in the simulator's account list, -1 when unauthenticated. */
  account: number;
  host: HostClass | 'unknown';
  route: string;
  status: number;
}

/**
 * Fixed-capacity ring of request records in typed arrays: cheap enough to stay on at 10k+ requests/s, and lets tests
 * check what the server saw (for example that no rolling window ever exceeded the limit).
 */
export class RequestLog {
  private readonly t: Float64Array;
  private readonly status: Uint16Array;
  private readonly route: Uint16Array;
  private readonly account: Int16Array;
  private readonly routes: string[] = [];
  private readonly routeIndex = new Map<string, number>();
  private seq = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.status = new Uint16Array(capacity);
    this.route = new Uint16Array(capacity);
    this.account = new Int16Array(capacity);
  }

  /** Returns the entry's slot so the status can be filled in when the response is known. */
  add(t: number, account: number, routeKey: string): number {
    if (this.capacity === 0) return -1;
    const slot = this.seq % this.capacity;
    this.seq++;
    let ri = this.routeIndex.get(routeKey);
    if (ri === undefined) {
      ri = this.routes.length < 65535 ? this.routes.push(routeKey) - 1 : 65534;
      this.routeIndex.set(routeKey, ri);
    }
    this.t[slot] = t;
    this.route[slot] = ri;
    this.account[slot] = account;
    this.status[slot] = 0;
    return slot;
  }

  setStatus(slot: number, status: number): void {
    if (slot >= 0) this.status[slot] = status;
  }

  /** Entries with seq > afterSeq (oldest first), at most `limit`. `status` 0 = no response sent (reset, hang). */
  since(afterSeq: number, limit: number): RequestLogEntry[] {
    const first = Math.max(afterSeq + 1, this.seq - this.capacity + 1, 1);
    const out: RequestLogEntry[] = [];
    for (let s = first; s <= this.seq && out.length < limit; s++) {
      const slot = (s - 1) % this.capacity;
      const route = this.routes[this.route[slot]!] ?? '?';
      out.push({
        seq: s,
        t: this.t[slot]!,
        account: this.account[slot]!,
        host: route.startsWith('data ') ? 'data' : route.startsWith('trading ') ? 'trading' : 'unknown',
        route: route.replace(/^(data|trading|unknown) /, ''),
        status: this.status[slot]!,
      });
    }
    return out;
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.seq = 0;
  }
}

/** Counters behind `GET /_sim/stats`. */
export class SimCounters {
  requests = 0;
  rateLimited = 0;
  unauthorized = 0;
  badRequests = 0;
  faults = 0;
  private byRoute = new Map<string, Map<string, number>>();

  /** `outcome` is the status code, or the fault that replaced the response (`reset-before`, `reset-after`, `hang`). */
  record(routeKey: string, outcome: number | string): void {
    let m = this.byRoute.get(routeKey);
    if (!m) {
      m = new Map();
      this.byRoute.set(routeKey, m);
    }
    const k = String(outcome);
    m.set(k, (m.get(k) ?? 0) + 1);
    if (outcome === 429) this.rateLimited++;
  }

  routes(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, m] of this.byRoute) out[k] = Object.fromEntries(m);
    return out;
  }

  reset(): void {
    this.requests = 0;
    this.rateLimited = 0;
    this.unauthorized = 0;
    this.badRequests = 0;
    this.faults = 0;
    this.byRoute.clear();
  }
}

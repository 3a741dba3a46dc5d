/**
 * An account's clockwork around its {@link Ledger}. Lazy and timer-driven: before a request is served the book
 * processes everything due up to now; while orders are open one market-clock timer wakes it at the next known
 * deadline (promotion, first fill attempt, expiry, auction) or, while working orders can trade, on a fixed
 * step grid. With nothing open there is no timer at all. The trading day rolls at each regular close.
 */
import type { TimerHandle } from '../../core/clock.js';
import type { MarketModel, SessionInfo, SimAccount, SimDeps } from '../types.js';
import { AccountView } from './account-view.js';
import { roundPrice } from './format.js';
import { Ledger, type LedgerRandoms, type LifecycleCounters } from './ledger.js';
import { decide, type StepMarket } from './matching.js';
import type { SimOrder } from './order.js';

const DAY_MS = 86_400_000;

export interface BookOptions {
  /** Market ms between steps while working orders can trade. */
  stepMs: number;
  /** Market ms between steps for extended-hours orders while no session is open. */
  closedPollMs: number;
  /** Steps one catch-up may run before it jumps straight to now. */
  maxCatchUpSteps: number;
  maxOrders: number;
}

/** The latest regular close at or before `t` (searched over the previous ten days). */
export function previousClose(market: MarketModel, t: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= 10; k++) {
    const c = market.session(t - k * DAY_MS).nextClose;
    if (c <= t && c > best) best = c;
  }
  return Number.isFinite(best) ? best : t - DAY_MS;
}

function closeAfter(market: MarketModel, t: number): number {
  const c = market.session(t + 1).nextClose;
  return c > t ? c : t + DAY_MS;
}

/** One step's view of the market: one session lookup, one price per symbol, and liquidity shared FIFO by the orders. */
class StepView implements StepMarket {
  private sessionInfo: SessionInfo | undefined;
  private readonly prices = new Map<string, number>();
  private readonly left = new Map<string, number>();
  constructor(
    private readonly market: MarketModel,
    readonly t: number,
  ) {}
  get session(): SessionInfo {
    this.sessionInfo ??= this.market.session(this.t);
    return this.sessionInfo;
  }
  price(symbol: string): number {
    let p = this.prices.get(symbol);
    if (p === undefined) {
      p = roundPrice(this.market.priceAt(symbol, this.t));
      this.prices.set(symbol, p);
    }
    return p;
  }
  liquidity(symbol: string): number {
    let l = this.left.get(symbol);
    if (l === undefined) {
      l = this.market.liquidityAt(symbol, this.t);
      this.left.set(symbol, l);
    }
    return l;
  }
  consume(symbol: string, qty: number): void {
    this.left.set(symbol, this.liquidity(symbol) - qty);
  }
}

export class AccountBook {
  readonly ledger: Ledger;
  readonly accountView: AccountView;
  /** Market ms of the last step: the step grid's origin. */
  private cursor: number;
  private rollAt: number;
  private dueAt = Number.POSITIVE_INFINITY;
  private dueStale = true;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private disposed = false;

  constructor(
    account: SimAccount,
    private readonly deps: SimDeps,
    randoms: LedgerRandoms,
    counters: LifecycleCounters,
    private readonly opts: BookOptions,
  ) {
    const now = deps.marketClock.wallNow();
    this.cursor = now;
    const last = previousClose(deps.market, now);
    this.ledger = new Ledger(account, deps, randoms, counters, opts.maxOrders, last);
    this.accountView = new AccountView(this.ledger);
    this.rollAt = closeAfter(deps.market, Math.max(last, now - 1));
  }

  /** Processes everything due up to the market's now and returns that now. */
  sync(): number {
    const now = this.deps.marketClock.wallNow();
    this.advanceTo(now);
    return now;
  }

  /** Re-arms the timer after a request may have changed the book. */
  settle(): void {
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  advanceTo(target: number): void {
    for (let i = 0; ; ) {
      const promo = this.nextPromotion();
      const work = this.workDue();
      const next = Math.min(promo, work, this.rollAt);
      if (next > target) return;
      if (promo === next) {
        // Promotions are O(1) and need no step over the whole book.
        const o = this.ledger.accepted.shift()!;
        if (o.phase.kind === 'accepted') this.ledger.promote(o, o.acceptedAt);
        continue;
      }
      if (i++ >= this.opts.maxCatchUpSteps) {
        // Too far behind (a long stall): skip the grid and evaluate once at `target`.
        if (this.rollAt <= target) {
          this.ledger.roll(previousClose(this.deps.market, target));
          this.rollAt = closeAfter(this.deps.market, target);
        }
        this.step(target);
        return;
      }
      if (this.rollAt === next) {
        this.ledger.roll(this.rollAt);
        this.rollAt = closeAfter(this.deps.market, this.rollAt);
      } else {
        this.step(work);
      }
    }
  }

  private nextPromotion(): number {
    const q = this.ledger.accepted;
    while (q.length > 0 && q[0]!.phase.kind !== 'accepted') q.shift();
    return q.length > 0 ? q[0]!.acceptedAt : Number.POSITIVE_INFINITY;
  }

  private step(t: number): void {
    this.cursor = t;
    this.dueStale = true;
    const ledger = this.ledger;
    const view = new StepView(this.deps.market, t);
    // Steps only ever remove orders from the open set (deletion during Set iteration is well-defined).
    for (const o of ledger.store.open) {
      if (o.phase.kind === 'accepted') {
        if (o.acceptedAt > t) continue;
        ledger.promote(o, t);
      }
      const phase = o.phase as { kind: string };
      if (phase.kind !== 'working') continue;
      if (t >= o.expiresAt) {
        ledger.finish(o, 'expired', t);
        continue;
      }
      if (t < o.activeAt || (o.auctionAt !== null && t < o.auctionAt)) continue;
      const d = decide(o, view);
      if (d.kind === 'fill') {
        view.consume(o.asset.symbol, d.qty);
        ledger.fill(o, d.qty, d.price, t);
        if (d.cancelRest) ledger.finish(o, 'canceled', t);
      } else if (d.kind === 'cancel' || o.auctionAt !== null) {
        // Auction orders get exactly one chance.
        ledger.finish(o, 'canceled', t);
      }
    }
  }

  /**
   * The next time working orders need a step. Recomputed over the book only after a step (the cursor moved);
   * between steps, orders the ledger reports as touched (new, promoted, armed) can only bring it forward.
   * Cancels and fills leave it as is: waking early is a harmless no-op step.
   */
  private workDue(): number {
    const touched = this.ledger.touched;
    if (this.dueStale) {
      this.dueAt = this.computeDue(this.ledger.store.open);
      this.dueStale = false;
    } else if (touched.length > 0) {
      this.dueAt = Math.min(this.dueAt, this.computeDue(touched));
    }
    touched.length = 0;
    return this.dueAt;
  }

  private computeDue(orders: Iterable<SimOrder>): number {
    let due = Number.POSITIVE_INFINITY;
    let periodic = false;
    let extended = false;
    for (const o of orders) {
      if (o.phase.kind !== 'working') continue; // accepted: nextPromotion(); held, done: nothing due
      due = Math.min(due, o.expiresAt);
      if (o.auctionAt !== null) due = Math.min(due, Math.max(o.activeAt, o.auctionAt));
      else if (this.cursor < o.activeAt) due = Math.min(due, o.activeAt);
      else {
        periodic = true;
        extended ||= o.extendedHours;
      }
    }
    if (!periodic) return due;
    const s = this.deps.market.session(this.cursor);
    if (s.isOpen || (extended && s.isExtended)) return Math.min(due, this.cursor + this.opts.stepMs);
    return Math.min(due, extended ? Math.min(s.nextOpen, this.cursor + this.opts.closedPollMs) : s.nextOpen);
  }

  /** Arms (or keeps) the timer for the next due time, never earlier than `notBefore`. */
  private schedule(notBefore = Number.NEGATIVE_INFINITY): void {
    if (this.disposed) return;
    const work = Math.min(this.nextPromotion(), this.workDue());
    if (work === Number.POSITIVE_INFINITY) {
      this.clearTimer();
      return;
    }
    const due = Math.max(work, notBefore);
    if (this.timer !== undefined && this.timerAt <= due) return;
    this.clearTimer();
    this.timerAt = due;
    const delay = Math.max(0, due - this.deps.marketClock.wallNow());
    this.timer = this.deps.marketClock.setTimeout(() => this.onTimer(due), delay);
  }

  private onTimer(due: number): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const version = this.ledger.version;
    const cursor = this.cursor;
    try {
      this.advanceTo(Math.max(this.deps.marketClock.wallNow(), due));
    } catch {
      // A failing market model: the next request re-runs the same step and reports it (as a 500).
      return;
    }
    // Defensive: a wake-up that changed nothing must not re-arm for the same instant (no spinning).
    const stuck =
      version === this.ledger.version &&
      cursor === this.cursor &&
      Math.min(this.nextPromotion(), this.workDue()) <= due;
    this.schedule(stuck ? due + this.opts.stepMs : Number.NEGATIVE_INFINITY);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.deps.marketClock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}

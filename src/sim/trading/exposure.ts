/**
 * Open-order exposure per symbol, kept incrementally so the account endpoint stays O(#symbols) however many
 * orders are open. Each open order contributes (side, remaining qty, remaining value at its reference price);
 * only the part that would open or grow a position counts against buying power: buys beyond a short's size,
 * sells beyond a long's size.
 */
import { QTY_EPS } from './format.js';
import { ocoGroup, type Side, type SimOrder } from './order.js';

export interface Contribution {
  readonly symbol: string;
  readonly side: Side;
  readonly qty: number;
  readonly value: number;
}

interface Agg {
  buyQty: number;
  buyValue: number;
  sellQty: number;
  sellValue: number;
  /** Contributions in this aggregate; at zero the sums are reset to exact zeros (no float drift). */
  count: number;
}

/** Value of `qty` (worth `value`) beyond the first `cover` shares, pro rata. */
function beyond(qty: number, value: number, cover: number): number {
  if (qty <= 0) return 0;
  const opening = Math.max(0, qty - cover);
  return (value * opening) / qty;
}

function openingValue(a: Agg, positionQty: number): number {
  return (
    beyond(a.buyQty, a.buyValue, Math.max(0, -positionQty)) + beyond(a.sellQty, a.sellValue, Math.max(0, positionQty))
  );
}

/** The aggregate. */
class Exposure {
  private readonly aggs = new Map<string, Agg>();

  add(c: Contribution): void {
    let a = this.aggs.get(c.symbol);
    if (!a) {
      a = { buyQty: 0, buyValue: 0, sellQty: 0, sellValue: 0, count: 0 };
      this.aggs.set(c.symbol, a);
    }
    if (c.side === 'buy') {
      a.buyQty += c.qty;
      a.buyValue += c.value;
    } else {
      a.sellQty += c.qty;
      a.sellValue += c.value;
    }
    a.count++;
  }

  remove(c: Contribution): void {
    const a = this.aggs.get(c.symbol);
    if (!a) return;
    if (--a.count <= 0) {
      this.aggs.delete(c.symbol);
      return;
    }
    if (c.side === 'buy') {
      a.buyQty = Math.max(0, a.buyQty - c.qty);
      a.buyValue = Math.max(0, a.buyValue - c.value);
    } else {
      a.sellQty = Math.max(0, a.sellQty - c.qty);
      a.sellValue = Math.max(0, a.sellValue - c.value);
    }
  }

  /** Open quantity on `side` for `symbol` (Alpaca's `held_for_orders` for sells). */
  held(symbol: string, side: Side): number {
    const a = this.aggs.get(symbol);
    if (!a) return 0;
    return side === 'buy' ? a.buyQty : a.sellQty;
  }

  /** Σ over symbols of the opening value, given each symbol's signed position quantity. */
  total(positionQty: (symbol: string) => number): number {
    let sum = 0;
    for (const [symbol, a] of this.aggs) sum += openingValue(a, positionQty(symbol));
    return sum;
  }

  /** How much the opening value would grow if `c` were added. */
  delta(c: Contribution, positionQty: number): number {
    const a = this.aggs.get(c.symbol) ?? { buyQty: 0, buyValue: 0, sellQty: 0, sellValue: 0, count: 0 };
    const before = openingValue(a, positionQty);
    const after =
      c.side === 'buy'
        ? openingValue({ ...a, buyQty: a.buyQty + c.qty, buyValue: a.buyValue + c.value }, positionQty)
        : openingValue({ ...a, sellQty: a.sellQty + c.qty, sellValue: a.sellValue + c.value }, positionQty);
    return after - before;
  }

  clear(): void {
    this.aggs.clear();
  }
}

/**
 * Keeps each open order's contribution to an {@link Exposure} current. Held legs reserve nothing (they close
 * what their entry opens), and of an OCO group only the first live member reserves: at most one executes.
 */
export class Reservations {
  private readonly exposure = new Exposure();
  private readonly applied = new Map<SimOrder, Contribution>();

  held(symbol: string, side: Side): number {
    return this.exposure.held(symbol, side);
  }

  total(positionQty: (symbol: string) => number): number {
    return this.exposure.total(positionQty);
  }

  delta(c: Contribution, positionQty: number): number {
    return this.exposure.delta(c, positionQty);
  }

  /** Re-evaluates `o` and its OCO siblings after a change. */
  refresh(o: SimOrder): void {
    this.refreshOne(o);
    for (const s of ocoGroup(o)) if (s !== o) this.refreshOne(s);
  }

  /** Runs `fn` with `o`'s reservation lifted (checks a replacement as if the old order were gone). */
  without<T>(o: SimOrder, fn: () => T): T {
    const c = this.applied.get(o);
    if (c) this.exposure.remove(c);
    try {
      return fn();
    } finally {
      if (c) this.exposure.add(c);
    }
  }

  private refreshOne(o: SimOrder): void {
    const old = this.applied.get(o);
    if (old) {
      this.exposure.remove(old);
      this.applied.delete(o);
    }
    const c = contribution(o);
    if (c) {
      this.exposure.add(c);
      this.applied.set(o, c);
    }
  }
}

function contribution(o: SimOrder): Contribution | null {
  if (o.phase.kind === 'done' || o.phase.kind === 'held') return null;
  for (const s of ocoGroup(o)) {
    if (s.phase.kind === 'accepted' || s.phase.kind === 'working') {
      if (s !== o) return null;
      break;
    }
  }
  let qty: number;
  let value: number;
  if (o.notional !== null) {
    value = Math.max(0, o.notional - o.filledValue);
    qty = value / o.refPrice;
  } else {
    qty = Math.max(0, (o.qty ?? 0) - o.filledQty);
    value = qty * o.refPrice;
  }
  return qty > QTY_EPS ? { symbol: o.asset.symbol, side: o.side, qty, value } : null;
}

/**
 * One account's orders and every transition they make (accept, new, fill, cancel, expire, replace, leg
 * activation), each appended to the trade-update log with the order as it is after the change; fills are
 * booked into the account's {@link Portfolio}. Time is the caller's: book.ts decides when steps happen.
 */
import type { Random } from '../../core/random.js';
import { uuidV4 } from '../../core/random.js';
import { ErrorCodes, forbidden, SimHttpError, unprocessable } from '../errors.js';
import type { TradeUpdate } from '../trade-events.js';
import type { AssetInfo, SimAccount, SimDeps } from '../types.js';
import { Reservations } from './exposure.js';
import { isoMs, priceStr, QTY_EPS, qtyStr, roundQty, toUs } from './format.js';
import { remainingQty } from './matching.js';
import {
  isOpen,
  type OrderPhase,
  ocoGroup,
  orderJson,
  orderStatus,
  type Side,
  type SimOrder,
  type TerminalStatus,
} from './order.js';
import { defaultIntent, initOf, OrderFactory, type OrderInit } from './order-factory.js';
import type { OrderSpec } from './order-request.js';
import { OrderStore } from './order-store.js';
import { Portfolio } from './portfolio.js';
import type { ReplaceSpec } from './replace-request.js';

export interface LifecycleCounters {
  filled: number;
  canceled: number;
  replaced: number;
}

export interface LedgerRandoms {
  ids: Random;
  clientOrderIds: Random;
  executions: Random;
}

const EVENT_OF: Record<TerminalStatus, string> = {
  filled: 'fill',
  canceled: 'canceled',
  expired: 'expired',
  replaced: 'replaced',
  rejected: 'rejected',
};

export function insufficientQty(symbol: string, requested: number, existing: number, held: number): SimHttpError {
  const available = Math.max(0, existing - held);
  return forbidden(
    `insufficient qty available for order (requested: ${qtyStr(requested)}, available: ${qtyStr(available)})`,
    {
      available: qtyStr(available),
      existing_qty: qtyStr(existing),
      held_for_orders: qtyStr(held),
      symbol,
    },
  );
}

const notCancelable = (o: SimOrder): SimHttpError =>
  new SimHttpError(422, ErrorCodes.unprocessable, `order is already in "${orderStatus(o)}" state`);

export class Ledger {
  readonly store: OrderStore;
  readonly reservations = new Reservations();
  readonly portfolio: Portfolio;
  private readonly factory: OrderFactory;
  /** Bumped on every state change; the account view caches on it. */
  version = 0;
  /** Accepted orders waiting to turn `new`, oldest first (the book promotes them). */
  readonly accepted: SimOrder[] = [];
  /** Orders whose timing changed since the book last looked (created, promoted, armed); the book drains it. */
  readonly touched: SimOrder[] = [];

  constructor(
    readonly account: SimAccount,
    private readonly deps: SimDeps,
    private readonly rnd: LedgerRandoms,
    private readonly counters: LifecycleCounters,
    maxOrders: number,
    lastCloseAt: number,
  ) {
    this.store = new OrderStore(maxOrders);
    this.portfolio = new Portfolio(deps.market, this.reservations, account.initialCash, lastCloseAt);
    this.factory = new OrderFactory(deps, rnd);
  }

  price(symbol: string, t: number): number {
    return this.portfolio.price(symbol, t);
  }

  /** Open quantity on `side` (what closing orders hold of a position). */
  held(symbol: string, side: Side): number {
    return this.reservations.held(symbol, side);
  }

  roll(t: number): void {
    this.portfolio.roll(t);
    this.version++;
  }

  // Submission.

  submit(spec: OrderSpec, clientOrderId: string | undefined, t: number): SimOrder {
    const legCount = spec.orderClass === 'bracket' ? 2 : spec.orderClass === 'oto' || spec.orderClass === 'oco' ? 1 : 0;
    this.ensureRoom(1 + legCount);
    const symbol = spec.asset.symbol;
    const price = this.price(symbol, t);
    const posQty = this.portfolio.positionQty(symbol);
    const init = initOf(spec, spec.positionIntent ?? defaultIntent(spec.side, posQty), false);
    const refPrice = init.limitPrice ?? init.stopPrice ?? price;
    this.checkAffordable(init, refPrice, price, t);
    const parent = this.factory.make(init, t, { kind: 'accepted' }, refPrice, price, clientOrderId, null);
    this.insert(parent);
    if (legCount > 0) {
      parent.legs = this.factory.legs(spec, parent, t);
      for (const leg of parent.legs) this.insert(leg);
    }
    this.reservations.refresh(parent);
    this.version++;
    return parent;
  }

  replace(o: SimOrder, r: ReplaceSpec, t: number): SimOrder {
    if (!isOpen(o)) throw notCancelable(o);
    if (o.type === 'market') throw new SimHttpError(422, ErrorCodes.unprocessable, 'market orders cannot be replaced');
    if (o.legs && !o.isLeg) {
      throw new SimHttpError(422, ErrorCodes.unprocessable, 'orders with legs cannot be replaced; cancel and resubmit');
    }
    if (r.clientOrderId !== undefined && this.store.byClientOrderId(r.clientOrderId)) {
      throw unprocessable('client_order_id must be unique');
    }
    this.ensureRoom(1);
    const init: OrderInit = {
      ...initOf(o, o.positionIntent, o.isLeg),
      tif: r.tif ?? o.tif,
      qty: r.qty ?? roundQty((o.qty ?? 0) - o.filledQty),
      notional: null,
      limitPrice: r.limitPrice ?? o.limitPrice,
      stopPrice: o.type === 'trailing_stop' ? null : (r.stopPrice ?? o.stopPrice),
      trailPrice: o.trailPrice === null ? null : (r.trail ?? o.trailPrice),
      trailPercent: o.trailPercent === null ? null : (r.trail ?? o.trailPercent),
    };
    const price = this.price(o.asset.symbol, t);
    const refPrice = init.limitPrice ?? init.stopPrice ?? price;
    // The new order is checked as if the old one were already gone; exit legs only ever close.
    if (!o.isLeg) this.reservations.without(o, () => this.checkAffordable(init, refPrice, price, t));
    const phase: OrderPhase = o.phase.kind === 'held' ? { kind: 'held' } : { kind: 'accepted' };
    const next = this.factory.make(init, t, phase, refPrice, price, r.clientOrderId, o.id);
    const parent = o.parent;
    if (parent?.legs) {
      next.parent = parent;
      parent.legs = parent.legs.map((l) => (l === o ? next : l));
      o.parent = null;
    }
    o.replacedBy = next.id;
    this.insert(next);
    this.finish(o, 'replaced', t);
    this.reservations.refresh(next);
    return next;
  }

  cancel(o: SimOrder, t: number): void {
    if (!isOpen(o)) throw notCancelable(o);
    this.finish(o, 'canceled', t);
  }

  /** Cancels every open order; returns those it canceled (legs included). */
  cancelAll(t: number): SimOrder[] {
    const before = [...this.store.open];
    for (const o of before) if (isOpen(o)) this.finish(o, 'canceled', t);
    return before.filter((o) => o.phase.kind === 'done' && o.phase.status === 'canceled');
  }

  /** A market day order closing `qty` of the position in `asset`. */
  closePosition(asset: AssetInfo, qty: number, t: number): SimOrder {
    const posQty = this.portfolio.positionQty(asset.symbol);
    const side: Side = posQty > 0 ? 'sell' : 'buy';
    const held = this.held(asset.symbol, side);
    if (qty > Math.abs(posQty) - held + QTY_EPS) throw insufficientQty(asset.symbol, qty, Math.abs(posQty), held);
    const spec: OrderSpec = {
      asset,
      side,
      type: 'market',
      tif: 'day',
      qty,
      notional: null,
      limitPrice: null,
      stopPrice: null,
      trailPrice: null,
      trailPercent: null,
      extendedHours: false,
      orderClass: '',
      takeProfit: null,
      stopLoss: null,
      positionIntent: side === 'sell' ? 'sell_to_close' : 'buy_to_close',
    };
    return this.submit(spec, undefined, t);
  }

  // Engine steps (book.ts).

  promote(o: SimOrder, t: number): void {
    o.phase = { kind: 'working', triggered: false };
    this.touched.push(o);
    o.updatedUs = toUs(t);
    o.json = undefined;
    this.version++;
    this.emit('new', o, t);
  }

  fill(o: SimOrder, qty: number, price: number, t: number): void {
    const q = roundQty(qty);
    if (q <= QTY_EPS) return;
    const positionQty = this.portfolio.applyFill(o.asset, o.side === 'buy' ? q : -q, price);
    o.filledQty = roundQty(o.filledQty + q);
    o.filledValue += q * price;
    o.updatedUs = toUs(t);
    o.json = undefined;
    this.version++;
    const extra = {
      execution_id: uuidV4(this.rnd.executions),
      price: priceStr(price),
      qty: qtyStr(q),
      position_qty: qtyStr(positionQty),
    };
    const complete = remainingQty(o, price) <= QTY_EPS;
    if (complete) {
      this.finish(o, 'filled', t, extra);
    } else {
      this.reservations.refresh(o);
      this.emit('partial_fill', o, t, extra);
    }
    this.settleSiblings(o, q, complete, t);
  }

  /** Moves `o` to a terminal status, emits its event and lets legs/siblings follow. No-op when already done. */
  finish(o: SimOrder, status: TerminalStatus, t: number, extra?: Partial<TradeUpdate>): void {
    if (!isOpen(o)) return;
    o.phase = { kind: 'done', status };
    const us = toUs(t);
    o.updatedUs = us;
    if (status === 'filled') o.filledUs = us;
    else if (status === 'canceled') o.canceledUs = us;
    else if (status === 'expired') o.expiredUs = us;
    else if (status === 'replaced') o.replacedUs = us;
    o.json = undefined;
    this.store.closed(o);
    this.reservations.refresh(o);
    if (status === 'filled') this.counters.filled++;
    else if (status === 'canceled' || status === 'expired') this.counters.canceled++;
    else if (status === 'replaced') this.counters.replaced++;
    this.version++;
    this.emit(EVENT_OF[status], o, t, extra);
    this.cascade(o, status, t);
  }

  // Internals.

  private insert(o: SimOrder): void {
    this.store.insert(o);
    if (o.phase.kind === 'accepted') this.accepted.push(o);
  }

  private ensureRoom(n: number): void {
    if (!this.store.ensureRoom(n)) {
      throw unprocessable(`too many open orders (the simulator keeps at most ${this.store.capacity} per account)`);
    }
  }

  /** Held-quantity rule for non-shortable (and fractional) sells, then buying power for the opening part. */
  private checkAffordable(init: OrderInit, refPrice: number, price: number, t: number): void {
    const symbol = init.asset.symbol;
    const posQty = this.portfolio.positionQty(symbol);
    const qty = init.qty ?? (init.notional ?? 0) / price;
    const fractional = init.notional !== null || !Number.isInteger(qty);
    if (init.side === 'sell' && (!init.asset.shortable || fractional)) {
      const held = this.reservations.held(symbol, 'sell');
      if (qty > Math.max(0, posQty) - held + QTY_EPS) throw insufficientQty(symbol, qty, Math.max(0, posQty), held);
    }
    const value = init.notional ?? qty * refPrice;
    const need = this.reservations.delta({ symbol, side: init.side, qty, value }, posQty);
    if (need > 1e-6 && need > this.portfolio.valuation(t).buyingPower + 1e-6)
      throw forbidden('insufficient buying power');
  }

  private activate(leg: SimOrder, t: number): void {
    leg.phase = { kind: 'working', triggered: false };
    leg.activeAt = t + this.deps.fillLatencyMs;
    this.touched.push(leg);
    leg.updatedUs = toUs(t);
    leg.json = undefined;
    this.reservations.refresh(leg);
    this.version++;
    this.emit('new', leg, t);
  }

  /** After a terminal entry: bracket/oto exits follow what it actually filled; an oco's stop leg goes with it. */
  private cascade(o: SimOrder, status: TerminalStatus, t: number): void {
    if (!o.legs || o.isLeg) return;
    if (o.orderClass === 'oco') {
      if (status === 'filled') return; // settleSiblings cancels the stop leg
      for (const leg of o.legs) this.finish(leg, status === 'expired' ? 'expired' : 'canceled', t);
      return;
    }
    for (const leg of o.legs) {
      if (leg.phase.kind !== 'held') continue;
      if (o.filledQty > QTY_EPS) {
        if (leg.qty !== null && o.filledQty < leg.qty) leg.qty = o.filledQty;
        this.activate(leg, t);
      } else {
        this.finish(leg, 'canceled', t);
      }
    }
  }

  /** One-cancels-other: a complete fill cancels the siblings, a partial one shrinks them by the same qty. */
  private settleSiblings(o: SimOrder, q: number, complete: boolean, t: number): void {
    for (const s of ocoGroup(o)) {
      if (s === o || !isOpen(s)) continue;
      if (complete) {
        this.finish(s, 'canceled', t);
        continue;
      }
      if (s.qty === null) continue;
      s.qty = roundQty(s.qty - q);
      s.updatedUs = toUs(t);
      s.json = undefined;
      if (s.qty - s.filledQty <= QTY_EPS) this.finish(s, 'canceled', t);
      else this.reservations.refresh(s);
    }
  }

  private emit(event: string, o: SimOrder, t: number, extra?: Partial<TradeUpdate>): void {
    const at = isoMs(t);
    this.deps.tradeEvents.append(this.account.id, { ...extra, event, order: orderJson(o, true), timestamp: at, at });
  }
}

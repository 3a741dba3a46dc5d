/**
 * One engine step for one working order: trigger stops, trail, and decide whether (and how much) it fills
 * at this step's price, session and liquidity. Pure apart from the order's own trigger state (triggered,
 * hwm, trailing stop price), which the step owns.
 */
import type { SessionInfo } from '../types.js';
import { floorQty, QTY_EPS, roundPrice, roundQty } from './format.js';
import type { SimOrder } from './order.js';

export interface StepMarket {
  readonly t: number;
  readonly session: SessionInfo;
  price(symbol: string): number;
  liquidity(symbol: string): number;
}

export type Decision =
  | { readonly kind: 'wait' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'fill'; readonly qty: number; readonly price: number; readonly cancelRest: boolean };

const WAIT: Decision = { kind: 'wait' };
const CANCEL: Decision = { kind: 'cancel' };

/** Notional orders are complete once less than a cent is left to spend. */
export const NOTIONAL_DUST = 0.01;

/** Quantity still to fill at `price` (a notional order converts its remaining dollars at that price). */
export function remainingQty(o: SimOrder, price: number): number {
  if (o.notional !== null) {
    const left = o.notional - o.filledValue;
    return left < NOTIONAL_DUST ? 0 : floorQty(left / price);
  }
  return Math.max(0, roundQty((o.qty ?? 0) - o.filledQty));
}

export const isFractional = (o: SimOrder): boolean => o.notional !== null || !Number.isInteger(o.qty ?? 0);

/** Stops trigger, and trailing stops trail, only in the regular session (as at Alpaca). */
function updateTriggers(o: SimOrder, price: number): void {
  if (o.phase.kind !== 'working' || o.phase.triggered) return;
  const buy = o.side === 'buy';
  let stop = o.stopPrice;
  if (o.type === 'trailing_stop') {
    const prev = o.hwm ?? price;
    const hwm = buy ? Math.min(prev, price) : Math.max(prev, price);
    const trail = o.trailPrice ?? (hwm * (o.trailPercent ?? 0)) / 100;
    stop = roundPrice(buy ? hwm + trail : hwm - trail);
    if (hwm !== o.hwm || stop !== o.stopPrice) {
      o.hwm = hwm;
      o.stopPrice = stop;
      o.json = undefined;
    }
  } else if (o.type !== 'stop' && o.type !== 'stop_limit') {
    return;
  }
  if (stop !== null && (buy ? price >= stop : price <= stop)) {
    o.phase = { kind: 'working', triggered: true };
    o.json = undefined;
  }
}

function effectiveType(o: SimOrder): 'market' | 'limit' | null {
  const triggered = o.phase.kind === 'working' && o.phase.triggered;
  switch (o.type) {
    case 'market':
      return 'market';
    case 'limit':
      return 'limit';
    case 'stop_limit':
      return triggered ? 'limit' : null;
    default:
      return triggered ? 'market' : null;
  }
}

/**
 * What `o` does at this step. Auction orders (opg/cls) are only asked at their auction time and, like
 * ioc/fok, are decided once: whatever does not fill is canceled. ioc/fok wait for a session in which they
 * may trade and are decided at the first such step.
 */
export function decide(o: SimOrder, m: StepMarket): Decision {
  const symbol = o.asset.symbol;
  const price = m.price(symbol);
  if (!(price > 0) || !Number.isFinite(price)) return WAIT; // never book a fill at a broken price
  const auction = o.tif === 'opg' || o.tif === 'cls';
  if (!auction && m.session.isOpen) updateTriggers(o, price);
  const eff = effectiveType(o);
  if (eff === null) return WAIT;
  const tradable = auction || m.session.isOpen || (o.extendedHours && m.session.isExtended);
  if (!tradable) return WAIT;
  const once = auction || o.tif === 'ioc' || o.tif === 'fok';
  const buy = o.side === 'buy';
  const limit = eff === 'limit' ? (o.limitPrice ?? price) : price;
  if (eff === 'limit' && (buy ? price > limit : price < limit)) return once ? CANCEL : WAIT;
  const fillPrice = eff === 'market' ? price : buy ? Math.min(price, limit) : Math.max(price, limit);
  const remaining = remainingQty(o, fillPrice);
  if (remaining <= QTY_EPS) return WAIT;
  const liquidity = Math.max(0, m.liquidity(symbol));
  const available = isFractional(o) && o.asset.fractionable ? floorQty(liquidity) : Math.floor(liquidity);
  if (o.tif === 'fok') {
    return available + QTY_EPS >= remaining
      ? { kind: 'fill', qty: remaining, price: fillPrice, cancelRest: false }
      : CANCEL;
  }
  const qty = Math.min(remaining, available);
  if (qty <= QTY_EPS) return once ? CANCEL : WAIT;
  return { kind: 'fill', qty, price: fillPrice, cancelRest: once };
}

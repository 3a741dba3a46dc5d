/**
 * A position and its Alpaca JSON. Quantities are signed (short < 0). Two running bases are kept with the same
 * rule: `costBasis` (qty × avg entry price) and `dayBasis` (value at the last session close for the carried
 * quantity plus the cost of today's changes), which gives the intraday P/L without keeping fill history.
 */
import type { AssetInfo } from '../types.js';
import { decimal, moneyStr, priceStr, QTY_EPS, qtyStr, RATIO_DP, roundQty } from './format.js';

export interface SimPosition {
  readonly asset: AssetInfo;
  qty: number;
  costBasis: number;
  dayBasis: number;
  /** Price at the last session close (the reference for change_today). */
  lastdayPrice: number;
  /** Trading-day index of the last fill that opened or grew the position (day-trade counting). */
  grewOnDay: number;
  /** Trading-day index when a day trade was last counted for this position. */
  dayTradeOnDay: number;
}

/**
 * Moves a basis for a fill of signed `dq` at `price` on a position of `qty`: growing adds cost, shrinking
 * releases it pro rata, flipping through zero restarts at the fill price.
 */
export function moveBasis(basis: number, qty: number, dq: number, price: number): number {
  const next = roundQty(qty + dq);
  if (Math.abs(qty) <= QTY_EPS || Math.sign(dq) === Math.sign(qty)) return basis + dq * price;
  if (Math.abs(next) <= QTY_EPS) return 0;
  if (Math.sign(next) === Math.sign(qty)) return (basis * next) / qty;
  return next * price;
}

export function newPosition(asset: AssetInfo, lastdayPrice: number): SimPosition {
  return { asset, qty: 0, costBasis: 0, dayBasis: 0, lastdayPrice, grewOnDay: -1, dayTradeOnDay: -1 };
}

const ratio = (num: number, den: number): string => (den === 0 ? '0' : decimal(num / den, RATIO_DP));

/**
 * The Alpaca Position object at `price`. `held` is the quantity reserved by open orders that close it, so
 * `qty_available` is what a new closing order may still use.
 */
export function positionJson(p: SimPosition, price: number, held: number): Record<string, unknown> {
  const marketValue = p.qty * price;
  const absQty = Math.abs(p.qty);
  const available = Math.max(0, absQty - held) * Math.sign(p.qty);
  const pl = marketValue - p.costBasis;
  const dayPl = marketValue - p.dayBasis;
  return {
    asset_id: p.asset.id,
    symbol: p.asset.symbol,
    exchange: p.asset.exchange,
    asset_class: 'us_equity',
    asset_marginable: p.asset.marginable,
    qty: qtyStr(p.qty),
    qty_available: qtyStr(available),
    avg_entry_price: decimal(absQty > 0 ? Math.abs(p.costBasis) / absQty : 0, 6),
    side: p.qty < 0 ? 'short' : 'long',
    market_value: moneyStr(marketValue),
    cost_basis: moneyStr(p.costBasis),
    unrealized_pl: moneyStr(pl),
    unrealized_plpc: ratio(pl, Math.abs(p.costBasis)),
    unrealized_intraday_pl: moneyStr(dayPl),
    unrealized_intraday_plpc: ratio(dayPl, Math.abs(p.dayBasis)),
    current_price: priceStr(price),
    lastday_price: priceStr(p.lastdayPrice),
    change_today: ratio(price - p.lastdayPrice, p.lastdayPrice),
  };
}

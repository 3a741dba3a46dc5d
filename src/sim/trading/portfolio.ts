/**
 * An account's money and positions: cash, signed positions with cost and intraday bases, valuation and
 * buying power, the trading-day roll at each regular close, and day-trade counting.
 */
import type { AssetInfo, MarketModel } from '../types.js';
import type { Reservations } from './exposure.js';
import { QTY_EPS, roundPrice, roundQty } from './format.js';
import { moveBasis, newPosition, type SimPosition } from './position.js';

/** Reg-T style margin: buying power = max(0, 2 × equity − gross position value − opening order exposure). */
export const MARGIN_MULTIPLIER = 2;
const MAINTENANCE_RATE = 0.3;
/** Day trades are counted over the last five trading days. */
const DAY_TRADE_WINDOW = 5;

export interface Valuation {
  longValue: number;
  shortValue: number;
  equity: number;
  gross: number;
  exposure: number;
  buyingPower: number;
  maintenance: number;
}

export class Portfolio {
  cash: number;
  readonly positions = new Map<string, SimPosition>();
  /** The last regular close the account has rolled over (market ms). */
  lastCloseAt: number;
  lastEquity: number;
  lastMaintenance = 0;
  /** Trading days rolled so far. */
  dayIndex = 0;
  /** Day index of each counted day trade within the window. */
  private dayTrades: number[] = [];

  constructor(
    private readonly market: MarketModel,
    private readonly reservations: Reservations,
    initialCash: number,
    lastCloseAt: number,
  ) {
    this.cash = initialCash;
    this.lastEquity = initialCash;
    this.lastCloseAt = lastCloseAt;
  }

  price(symbol: string, t: number): number {
    return roundPrice(this.market.priceAt(symbol, t));
  }

  positionQty(symbol: string): number {
    return this.positions.get(symbol)?.qty ?? 0;
  }

  valuation(t: number): Valuation {
    let longValue = 0;
    let shortValue = 0;
    for (const p of this.positions.values()) {
      const mv = p.qty * this.price(p.asset.symbol, t);
      if (mv >= 0) longValue += mv;
      else shortValue += mv;
    }
    const equity = this.cash + longValue + shortValue;
    const gross = longValue - shortValue;
    const exposure = this.reservations.total((s) => this.positionQty(s));
    const buyingPower = Math.max(0, MARGIN_MULTIPLIER * equity - gross - exposure);
    return { longValue, shortValue, equity, gross, exposure, buyingPower, maintenance: MAINTENANCE_RATE * gross };
  }

  daytradeCount(): number {
    let n = 0;
    for (const d of this.dayTrades) if (d > this.dayIndex - DAY_TRADE_WINDOW) n++;
    return n;
  }

  /** Books a fill of signed `dq` shares at `price`; returns the position quantity after it. */
  applyFill(asset: AssetInfo, dq: number, price: number): number {
    const symbol = asset.symbol;
    let pos = this.positions.get(symbol);
    if (!pos) {
      pos = newPosition(asset, this.price(symbol, this.lastCloseAt));
      this.positions.set(symbol, pos);
    }
    this.trackDayTrade(pos, dq);
    pos.costBasis = moveBasis(pos.costBasis, pos.qty, dq, price);
    pos.dayBasis = moveBasis(pos.dayBasis, pos.qty, dq, price);
    pos.qty = roundQty(pos.qty + dq);
    this.cash -= dq * price;
    if (Math.abs(pos.qty) <= QTY_EPS) {
      this.positions.delete(symbol);
      return 0;
    }
    return pos.qty;
  }

  /** Rolls the trading day at a regular close: P/L and day-trade references move to `t`'s prices. */
  roll(t: number): void {
    this.lastCloseAt = t;
    const v = this.valuation(t);
    this.lastEquity = v.equity;
    this.lastMaintenance = v.maintenance;
    for (const p of this.positions.values()) {
      const price = this.price(p.asset.symbol, t);
      p.lastdayPrice = price;
      p.dayBasis = p.qty * price;
    }
    this.dayIndex++;
    this.dayTrades = this.dayTrades.filter((d) => d > this.dayIndex - DAY_TRADE_WINDOW);
  }

  /** A day trade: a fill that shrinks a position opened or grown on the same trading day (once per position). */
  private trackDayTrade(pos: SimPosition, dq: number): void {
    const grows = Math.abs(pos.qty) <= QTY_EPS || Math.sign(dq) === Math.sign(pos.qty);
    if (!grows && pos.grewOnDay === this.dayIndex && pos.dayTradeOnDay !== this.dayIndex) {
      pos.dayTradeOnDay = this.dayIndex;
      if (this.dayTrades.length < 10_000) this.dayTrades.push(this.dayIndex);
    }
    if (grows || Math.abs(dq) > Math.abs(pos.qty)) pos.grewOnDay = this.dayIndex;
  }
}

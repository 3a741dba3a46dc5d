/**
 * Builds order records: ids and client_order_ids from the account's seeded streams, creation stamps that are
 * unique per account, day expiry and auction times from the session, the first trailing-stop marks, and the
 * exit legs of bracket, oto and oco orders.
 */
import { type Random, uuidV4 } from '../../core/random.js';
import type { SimDeps } from '../types.js';
import { roundPrice, toUs } from './format.js';
import type { OrderPhase, PositionIntent, Side, SimOrder } from './order.js';
import type { OrderSpec, OrderTerms } from './order-request.js';

/** What an order is made from (POST, replace, position close, or an exit leg). */
export interface OrderInit extends OrderTerms {
  positionIntent: PositionIntent;
  isLeg: boolean;
}

/** Copies exactly the OrderInit fields (specs and orders carry more). */
export function initOf(
  src: Omit<OrderInit, 'positionIntent' | 'isLeg'>,
  positionIntent: PositionIntent,
  isLeg: boolean,
): OrderInit {
  return {
    asset: src.asset,
    side: src.side,
    type: src.type,
    tif: src.tif,
    qty: src.qty,
    notional: src.notional,
    limitPrice: src.limitPrice,
    stopPrice: src.stopPrice,
    trailPrice: src.trailPrice,
    trailPercent: src.trailPercent,
    extendedHours: src.extendedHours,
    orderClass: src.orderClass,
    positionIntent,
    isLeg,
  };
}

/** Alpaca fills in position_intent from the position when the client does not. */
export function defaultIntent(side: Side, posQty: number): PositionIntent {
  if (side === 'buy') return posQty < 0 ? 'buy_to_close' : 'buy_to_open';
  return posQty > 0 ? 'sell_to_close' : 'sell_to_open';
}

export interface OrderIdStreams {
  ids: Random;
  clientOrderIds: Random;
}

export class OrderFactory {
  private seq = 0;
  private lastStampUs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: SimDeps,
    private readonly streams: OrderIdStreams,
  ) {}

  /**
   * A new order at market time `t`. `refPrice` prices its buying-power reservation; `price` (the current
   * price) seeds a trailing stop's mark.
   */
  make(
    init: OrderInit,
    t: number,
    phase: OrderPhase,
    refPrice: number,
    price: number,
    clientOrderId: string | undefined,
    replaces: string | null,
  ): SimOrder {
    const needsSession = init.tif === 'day' || init.tif === 'opg' || init.tif === 'cls';
    const session = needsSession ? this.deps.market.session(t) : undefined;
    let hwm: number | null = null;
    let stopPrice = init.stopPrice;
    if (init.type === 'trailing_stop') {
      hwm = price;
      const trail = init.trailPrice ?? (price * (init.trailPercent ?? 0)) / 100;
      stopPrice = roundPrice(init.side === 'sell' ? price - trail : price + trail);
    }
    const us = this.stamp(t);
    // An explicit literal (no spread) keeps every order on one hidden class: the step loops stay monomorphic.
    return {
      id: uuidV4(this.streams.ids),
      clientOrderId: clientOrderId ?? uuidV4(this.streams.clientOrderIds),
      seq: ++this.seq,
      asset: init.asset,
      side: init.side,
      type: init.type,
      orderClass: init.orderClass,
      positionIntent: init.positionIntent,
      tif: init.tif,
      extendedHours: init.extendedHours,
      isLeg: init.isLeg,
      qty: init.qty,
      notional: init.notional,
      limitPrice: init.limitPrice,
      stopPrice,
      trailPrice: init.trailPrice,
      trailPercent: init.trailPercent,
      hwm,
      filledQty: 0,
      filledValue: 0,
      phase,
      createdUs: us,
      updatedUs: us,
      filledUs: null,
      expiredUs: null,
      canceledUs: null,
      replacedUs: null,
      replacedBy: null,
      replaces,
      acceptedAt: t,
      activeAt: t + this.deps.fillLatencyMs,
      expiresAt: init.tif === 'day' ? session!.nextClose : Number.POSITIVE_INFINITY,
      auctionAt: init.tif === 'opg' ? session!.nextOpen : init.tif === 'cls' ? session!.nextClose : null,
      refPrice,
      legs: null,
      parent: null,
      json: undefined,
    };
  }

  /** Bracket: take-profit limit + stop-loss, held until the entry fills. oto: one of them. oco: the stop leg, live. */
  legs(spec: OrderSpec, parent: SimOrder, t: number): SimOrder[] {
    const oco = spec.orderClass === 'oco';
    const side: Side = oco ? spec.side : spec.side === 'buy' ? 'sell' : 'buy';
    const base = {
      asset: spec.asset,
      side,
      tif: spec.tif,
      qty: spec.qty,
      notional: null,
      trailPrice: null,
      trailPercent: null,
      extendedHours: false,
      orderClass: spec.orderClass,
      positionIntent: (side === 'sell' ? 'sell_to_close' : 'buy_to_close') as PositionIntent,
      isLeg: true,
    };
    const inits: OrderInit[] = [];
    if (!oco && spec.takeProfit) {
      inits.push({ ...base, type: 'limit', limitPrice: spec.takeProfit.limitPrice, stopPrice: null });
    }
    if (spec.stopLoss) {
      const { stopPrice, limitPrice } = spec.stopLoss;
      inits.push({ ...base, type: limitPrice === null ? 'stop' : 'stop_limit', limitPrice, stopPrice });
    }
    return inits.map((init) => {
      const phase: OrderPhase = oco ? { kind: 'accepted' } : { kind: 'held' };
      const leg = this.make(init, t, phase, init.limitPrice ?? init.stopPrice!, 0, undefined, null);
      leg.parent = parent;
      return leg;
    });
  }

  /** Unique per account (nudged by 1 µs when orders share an instant), so after/until paging is lossless. */
  private stamp(t: number): number {
    let us = toUs(t);
    if (us <= this.lastStampUs) us = this.lastStampUs + 1;
    this.lastStampUs = us;
    return us;
  }
}

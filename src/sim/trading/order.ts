/**
 * The simulator's order record and its Alpaca JSON form. The lifecycle is the discriminated union
 * {@link OrderPhase}; the wire `status` is derived from it (and from filled_qty), so the two never disagree.
 */
import type { AssetInfo } from '../types.js';
import { decimal, isoUs, nullableIso, nullablePrice, nullableQty, priceStr, qtyStr, RATIO_DP } from './format.js';

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export const SIDES = ['buy', 'sell'] as const;
export const TIME_IN_FORCES = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const;
export const ORDER_CLASSES = ['', 'simple', 'bracket', 'oco', 'oto', 'mleg'] as const;
export const POSITION_INTENTS = ['buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'] as const;

export type OrderType = (typeof ORDER_TYPES)[number];
export type Side = (typeof SIDES)[number];
export type TimeInForce = (typeof TIME_IN_FORCES)[number];
export type OrderClass = Exclude<(typeof ORDER_CLASSES)[number], 'mleg'>;
export type PositionIntent = (typeof POSITION_INTENTS)[number];
export type TerminalStatus = 'filled' | 'canceled' | 'expired' | 'replaced' | 'rejected';
export type OrderStatus = 'accepted' | 'held' | 'new' | 'partially_filled' | TerminalStatus;

export type OrderPhase =
  /** Acknowledged by POST; the engine turns it `new` on its next step. */
  | { kind: 'accepted' }
  /** A bracket/oto leg waiting for its entry order to fill. */
  | { kind: 'held' }
  /** On the book. Stop and trailing orders flip `triggered` once their stop is crossed. */
  | { kind: 'working'; triggered: boolean }
  | { kind: 'done'; status: TerminalStatus };

export interface SimOrder {
  readonly id: string;
  readonly clientOrderId: string;
  /** Per-account creation sequence: the listing order. */
  readonly seq: number;
  readonly asset: AssetInfo;
  readonly side: Side;
  readonly type: OrderType;
  readonly orderClass: OrderClass;
  readonly positionIntent: PositionIntent;
  readonly tif: TimeInForce;
  readonly extendedHours: boolean;
  /** A bracket/oto/oco exit leg (listed under its parent with `nested=true`). */
  readonly isLeg: boolean;
  /** Null for notional orders. May shrink when an OCO sibling partially fills. */
  qty: number | null;
  readonly notional: number | null;
  readonly limitPrice: number | null;
  /** For trailing stops: the current trail stop. */
  stopPrice: number | null;
  readonly trailPrice: number | null;
  readonly trailPercent: number | null;
  /** Trailing stops: high-water mark (sell) or low-water mark (buy). */
  hwm: number | null;
  filledQty: number;
  /** Σ fill qty × price. */
  filledValue: number;
  phase: OrderPhase;
  /** Timestamps: integer market µs. */
  readonly createdUs: number;
  updatedUs: number;
  filledUs: number | null;
  expiredUs: number | null;
  canceledUs: number | null;
  replacedUs: number | null;
  replacedBy: string | null;
  readonly replaces: string | null;
  /** Scheduling, market ms: when the engine promotes it, first fill attempt, day expiry, auction time. */
  readonly acceptedAt: number;
  activeAt: number;
  readonly expiresAt: number;
  readonly auctionAt: number | null;
  /** Price used for buying-power exposure (limit, stop or the price at submission). */
  readonly refPrice: number;
  legs: SimOrder[] | null;
  parent: SimOrder | null;
  /** Cached JSON without legs; cleared on every change. */
  json: Record<string, unknown> | undefined;
}

export function orderStatus(o: SimOrder): OrderStatus {
  switch (o.phase.kind) {
    case 'accepted':
      return 'accepted';
    case 'held':
      return 'held';
    case 'working':
      return o.filledQty > 0 ? 'partially_filled' : 'new';
    case 'done':
      return o.phase.status;
  }
}

export const isOpen = (o: SimOrder): boolean => o.phase.kind !== 'done';

/** Orders whose fills cancel each other: bracket exit legs, or an oco order with its stop leg. */
export function ocoGroup(o: SimOrder): readonly SimOrder[] {
  if (o.orderClass === 'bracket') return o.parent?.legs ?? [];
  if (o.orderClass === 'oco') {
    const root = o.parent ?? o;
    return root.legs ? [root, ...root.legs] : [root];
  }
  return [];
}

function baseJson(o: SimOrder): Record<string, unknown> {
  const created = isoUs(o.createdUs);
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: created,
    updated_at: isoUs(o.updatedUs),
    submitted_at: created,
    filled_at: nullableIso(o.filledUs),
    expired_at: nullableIso(o.expiredUs),
    canceled_at: nullableIso(o.canceledUs),
    failed_at: null,
    replaced_at: nullableIso(o.replacedUs),
    replaced_by: o.replacedBy,
    replaces: o.replaces,
    asset_id: o.asset.id,
    symbol: o.asset.symbol,
    asset_class: 'us_equity',
    notional: nullablePrice(o.notional),
    qty: nullableQty(o.qty),
    filled_qty: qtyStr(o.filledQty),
    filled_avg_price: o.filledQty > 0 ? decimal(o.filledValue / o.filledQty, 6) : null,
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.positionIntent,
    time_in_force: o.tif,
    limit_price: nullablePrice(o.limitPrice),
    stop_price: nullablePrice(o.stopPrice),
    status: orderStatus(o),
    extended_hours: o.extendedHours,
    legs: null,
    trail_percent: o.trailPercent === null ? null : decimal(o.trailPercent, RATIO_DP),
    trail_price: nullablePrice(o.trailPrice),
    hwm: o.hwm === null ? null : priceStr(o.hwm),
    subtag: null,
    source: null,
    expires_at: Number.isFinite(o.expiresAt) ? isoUs(Math.round(o.expiresAt * 1000)) : null,
  };
}

/**
 * The Alpaca Order object. `nested` puts the legs' orders under `legs` (POST responses, trade updates,
 * `nested=true` listings); otherwise `legs` is null and legs are listed as orders of their own.
 * The returned objects are shared with a cache: callers must not mutate them.
 */
export function orderJson(o: SimOrder, nested: boolean): Record<string, unknown> {
  o.json ??= baseJson(o);
  if (!nested || !o.legs) return o.json;
  return { ...o.json, legs: o.legs.map((l) => orderJson(l, false)) };
}

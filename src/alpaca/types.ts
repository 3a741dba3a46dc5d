/**
 * Alpaca's REST entities as they come off the wire. Decimal amounts stay strings on purpose: parsing "0.1" into a
 * float loses precision, and a trading program must decide itself how to do money arithmetic.
 */
export type Decimal = string;
/** RFC-3339 timestamp. */
export type Timestamp = string;

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type TimeInForce = 'day' | 'gtc' | 'opg' | 'cls' | 'ioc' | 'fok';
export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto' | 'mleg' | '';
export type OrderStatus =
  | 'new'
  | 'partially_filled'
  | 'filled'
  | 'done_for_day'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'pending_cancel'
  | 'pending_replace'
  | 'accepted'
  | 'pending_new'
  | 'accepted_for_bidding'
  | 'stopped'
  | 'rejected'
  | 'suspended'
  | 'calculated'
  | 'held'
  | 'pending_review';

/** States after which an order never changes again. */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<string> = new Set([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
  'done_for_day',
]);

export interface Order {
  id: string;
  client_order_id: string;
  created_at: Timestamp;
  updated_at: Timestamp | null;
  submitted_at: Timestamp | null;
  filled_at: Timestamp | null;
  expired_at: Timestamp | null;
  canceled_at: Timestamp | null;
  failed_at: Timestamp | null;
  replaced_at: Timestamp | null;
  replaced_by: string | null;
  replaces: string | null;
  asset_id: string;
  symbol: string;
  asset_class: string;
  notional: Decimal | null;
  qty: Decimal | null;
  filled_qty: Decimal;
  filled_avg_price: Decimal | null;
  order_class: OrderClass;
  order_type: OrderType;
  type: OrderType;
  side: OrderSide;
  time_in_force: TimeInForce;
  limit_price: Decimal | null;
  stop_price: Decimal | null;
  status: OrderStatus;
  extended_hours: boolean;
  legs: Order[] | null;
  trail_percent: Decimal | null;
  trail_price: Decimal | null;
  hwm: Decimal | null;
  position_intent?: string;
  [field: string]: unknown;
}

export interface SubmitOrderRequest {
  symbol: string;
  qty?: Decimal | number;
  notional?: Decimal | number;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  limit_price?: Decimal | number;
  stop_price?: Decimal | number;
  trail_price?: Decimal | number;
  trail_percent?: Decimal | number;
  extended_hours?: boolean;
  /** Idempotency key (≤ 128 chars). corral generates one when absent and keeps it across attempts. */
  client_order_id?: string;
  order_class?: OrderClass;
  take_profit?: { limit_price: Decimal | number };
  stop_loss?: { stop_price: Decimal | number; limit_price?: Decimal | number };
  position_intent?: 'buy_to_open' | 'buy_to_close' | 'sell_to_open' | 'sell_to_close';
}

export interface ReplaceOrderRequest {
  qty?: Decimal | number;
  time_in_force?: TimeInForce;
  limit_price?: Decimal | number;
  stop_price?: Decimal | number;
  trail?: Decimal | number;
  /** client_order_id of the replacement; corral generates one so an ambiguous replace can be looked up. */
  client_order_id?: string;
}

export interface ListOrdersQuery {
  status?: 'open' | 'closed' | 'all';
  /** 1..500. @default 50 (server) */
  limit?: number;
  after?: Timestamp | Date;
  until?: Timestamp | Date;
  direction?: 'asc' | 'desc';
  nested?: boolean;
  symbols?: string[];
  side?: OrderSide;
}

export interface Account {
  id: string;
  account_number: string;
  status: string;
  currency: string;
  cash: Decimal;
  buying_power: Decimal;
  equity: Decimal;
  portfolio_value: Decimal;
  multiplier: Decimal;
  pattern_day_trader: boolean;
  trading_blocked: boolean;
  account_blocked: boolean;
  daytrade_count: number;
  [field: string]: unknown;
}

export interface Position {
  asset_id: string;
  symbol: string;
  exchange: string;
  asset_class: string;
  avg_entry_price: Decimal;
  qty: Decimal;
  qty_available: Decimal;
  side: 'long' | 'short';
  market_value: Decimal;
  cost_basis: Decimal;
  unrealized_pl: Decimal;
  unrealized_plpc: Decimal;
  current_price: Decimal;
  lastday_price: Decimal;
  change_today: Decimal;
  [field: string]: unknown;
}

export interface ClosePositionQuery {
  qty?: Decimal | number;
  percentage?: Decimal | number;
}

/** One element of the 207 multi-status answers of cancel-all and close-all. */
export interface MultiStatus<T> {
  id?: string;
  symbol?: string;
  status: number;
  body?: T | { code?: number; message?: string };
}

export interface MarketClock {
  timestamp: Timestamp;
  is_open: boolean;
  next_open: Timestamp;
  next_close: Timestamp;
}

export interface CalendarDay {
  date: string;
  open: string;
  close: string;
  session_open?: string;
  session_close?: string;
  settlement_date?: string;
}

export interface Asset {
  id: string;
  class: string;
  exchange: string;
  symbol: string;
  name: string;
  status: 'active' | 'inactive';
  tradable: boolean;
  marginable: boolean;
  shortable: boolean;
  easy_to_borrow: boolean;
  fractionable: boolean;
  [field: string]: unknown;
}

/** Market data (numbers, not strings, as Alpaca sends them). */
export interface Bar {
  t: Timestamp;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}
export interface Trade {
  t: Timestamp;
  x: string;
  p: number;
  s: number;
  c: string[];
  i: number;
  z: string;
}
export interface Quote {
  t: Timestamp;
  ax: string;
  ap: number;
  as: number;
  bx: string;
  bp: number;
  bs: number;
  c: string[];
  z: string;
}
export interface Snapshot {
  latestTrade: Trade | null;
  latestQuote: Quote | null;
  minuteBar: Bar | null;
  dailyBar: Bar | null;
  prevDailyBar: Bar | null;
}

export interface HistoricalQuery {
  symbols: string[];
  start?: Timestamp | Date;
  end?: Timestamp | Date;
  /** Items per page across all symbols, 1..10000. @default 1000 (server) */
  limit?: number;
  sort?: 'asc' | 'desc';
  feed?: string;
  asof?: string;
  currency?: string;
}
export interface BarsQuery extends HistoricalQuery {
  /** e.g. `1Min`, `15Min`, `1Hour`, `1Day`. */
  timeframe: string;
  adjustment?: string;
}

/** An item of a multi-symbol historical stream, tagged with its symbol. */
export type WithSymbol<T> = T & { symbol: string };

export interface PageProgress {
  /** Pages fetched so far. */
  pages: number;
  /** Items yielded so far. */
  items: number;
  /** Whether another page follows. */
  more: boolean;
}

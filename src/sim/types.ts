/**
 * Contracts between the simulator's parts: the HTTP server (server.ts: auth, rate limits, faults, stats),
 * the synthetic market (market/), and the trading engine (trading/). Handlers are synchronous and pure
 * functions of the request and simulator state, which keeps the simulator fast and deterministic.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../core/clock.js';
import type { SeededRandom } from '../core/random.js';
import type { TradeEventLog } from './trade-events.js';

export type HostClass = 'trading' | 'data';
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** A configured account (credentials plus identity). Trading state lives in the trading engine. */
export interface SimAccount {
  readonly keyId: string;
  readonly secretKey: string;
  /** UUID, stable for a given seed and key id. */
  readonly id: string;
  readonly accountNumber: string;
  /** RFC-3339. */
  readonly createdAt: string;
  /** Starting cash in USD. */
  readonly initialCash: number;
}

export interface SimRequest {
  readonly method: Method;
  /** Route template that matched, e.g. `/v2/orders/{order_id}`. */
  readonly template: string;
  /** Path parameters named in the template, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; `undefined` when the request had none. Always a JSON value, never a raw string. */
  readonly body: unknown;
  /** The authenticated account. */
  readonly account: SimAccount;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON; omit for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: SimRequest) => SimResponse;

export interface RouteDef {
  method: Method;
  /** Path template with `{name}` parameters; a parameter matches one path segment (or the segment's rest). */
  template: string;
  host: HostClass;
  handler: RouteHandler;
}

/** One tradable asset of the synthetic universe. */
export interface AssetInfo {
  id: string;
  symbol: string;
  name: string;
  exchange: string;
  class: 'us_equity';
  status: 'active' | 'inactive';
  tradable: boolean;
  marginable: boolean;
  shortable: boolean;
  easy_to_borrow: boolean;
  fractionable: boolean;
  /** Reference price the synthetic process starts from (USD). */
  basePrice: number;
}

export interface SessionInfo {
  /** Regular session (09:30-16:00 New York, shorter on early-close days) is open at t. */
  isOpen: boolean;
  /** Inside pre-market (04:00-09:30) or after-hours (16:00-20:00) of a trading day. */
  isExtended: boolean;
  /** Epoch ms of the next regular open strictly after t (or the current session's open if before it). */
  nextOpen: number;
  /** Epoch ms of the next regular close at or after t. */
  nextClose: number;
}

export interface Quote {
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

/**
 * The deterministic synthetic market. All times are market epoch ms (the simulator's market clock,
 * see SimDeps.marketClock). The same (seed, symbol, time) always gives the same answer.
 */
export interface MarketModel {
  assets(): readonly AssetInfo[];
  /** By symbol (case-sensitive, Alpaca symbols are upper case) or asset id. */
  asset(symbolOrId: string): AssetInfo | undefined;
  /** Price of the last synthetic trade at or before t (the previous session's close outside trading hours). */
  priceAt(symbol: string, t: number): number;
  quoteAt(symbol: string, t: number): Quote;
  /** Shares available to fill an order in one engine step at t; orders larger than this fill partially. */
  liquidityAt(symbol: string, t: number): number;
  session(t: number): SessionInfo;
}

/** What every simulator part receives. */
export interface SimDeps {
  /** Host (or fake) clock: rate windows, timers, Date headers. */
  readonly clock: Clock;
  /** Market time: `wallNow()` is the simulated market's epoch ms, running 1/timeScale faster than `clock`. */
  readonly marketClock: Clock;
  readonly timeScale: number;
  readonly market: MarketModel;
  readonly random: SeededRandom;
  readonly tradeEvents: TradeEventLog;
  /** Market-time ms from order acceptance to the first fill attempt. */
  readonly fillLatencyMs: number;
}

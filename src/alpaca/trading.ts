/** Typed trading endpoints. Order changes go through the exactly-once OrderManager; reads through the pipeline. */
import type { QueryValue } from '../http/transport.js';
import type { Lane } from '../limit/types.js';
import type { OrderManager, OrderOptions } from './orders.js';
import type { BreakerGroup, CallOptions, Pipeline, RequestSpec } from './pipeline.js';
import type {
  Account,
  Asset,
  CalendarDay,
  ClosePositionQuery,
  ListOrdersQuery,
  MarketClock,
  MultiStatus,
  Order,
  Position,
  ReplaceOrderRequest,
  SubmitOrderRequest,
} from './types.js';

const iso = (v: string | Date | undefined) => (v instanceof Date ? v.toISOString() : v);
const seg = encodeURIComponent;

export class TradingApi {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly orders: OrderManager,
  ) {}

  private get<T>(
    path: string,
    route: string,
    o: CallOptions = {},
    query?: Record<string, QueryValue>,
    lane: Lane = 'default',
  ): Promise<T> {
    return this.pipeline.json<T>(spec('GET', path, route, o, { query, lane }));
  }

  getAccount(o?: CallOptions): Promise<Account> {
    return this.get('/v2/account', '/v2/account', o);
  }

  /** Submits exactly once (see docs/orders.md): the returned order carries the client_order_id used. */
  submitOrder(order: SubmitOrderRequest, o?: OrderOptions): Promise<Order> {
    return this.orders.submit(order, o);
  }
  /** Replaces an open order; resolves to the NEW order (new id). */
  replaceOrder(orderId: string, patch: ReplaceOrderRequest, o?: OrderOptions): Promise<Order> {
    return this.orders.replace(orderId, patch, o);
  }
  /** Cancels an open order (critical lane). Throws AlpacaApiError 422 when it is not cancelable. */
  cancelOrder(orderId: string, o?: OrderOptions): Promise<void> {
    return this.orders.cancel(orderId, o);
  }
  /** Cancels every open order: one 207 entry per order. */
  cancelAllOrders(o: CallOptions = {}): Promise<MultiStatus<Order>[]> {
    return this.pipeline.json(
      spec('DELETE', '/v2/orders', '/v2/orders', o, { lane: 'critical', group: 'orders', idempotent: true }),
    );
  }
  listOrders(q: ListOrdersQuery = {}, o?: CallOptions): Promise<Order[]> {
    return this.get('/v2/orders', '/v2/orders', o, {
      status: q.status,
      limit: q.limit,
      after: iso(q.after),
      until: iso(q.until),
      direction: q.direction,
      nested: q.nested,
      symbols: q.symbols?.join(','),
      side: q.side,
    });
  }
  getOrder(orderId: string, o?: CallOptions & { nested?: boolean }): Promise<Order> {
    return this.get(`/v2/orders/${seg(orderId)}`, '/v2/orders/{order_id}', o, { nested: o?.nested });
  }
  getOrderByClientId(clientOrderId: string, o?: CallOptions): Promise<Order> {
    return this.get('/v2/orders:by_client_order_id', '/v2/orders:by_client_order_id', o, {
      client_order_id: clientOrderId,
    });
  }

  listPositions(o?: CallOptions): Promise<Position[]> {
    return this.get('/v2/positions', '/v2/positions', o);
  }
  getPosition(symbolOrAssetId: string, o?: CallOptions): Promise<Position> {
    return this.get(`/v2/positions/${seg(symbolOrAssetId)}`, '/v2/positions/{symbol_or_asset_id}', o);
  }
  /**
   * Closes a position with a market order (critical lane). Not retried after an ambiguous failure: a second close
   * could sell twice. For an exactly-once partial exit, submit the sell yourself with a client_order_id.
   */
  closePosition(symbolOrAssetId: string, q: ClosePositionQuery = {}, o: CallOptions = {}): Promise<Order> {
    return this.pipeline.json(
      spec('DELETE', `/v2/positions/${seg(symbolOrAssetId)}`, '/v2/positions/{symbol_or_asset_id}', o, {
        query: {
          qty: q.qty === undefined ? undefined : String(q.qty),
          percentage: q.percentage === undefined ? undefined : String(q.percentage),
        },
        lane: 'critical',
        group: 'orders',
      }),
    );
  }
  /** Closes every position (and optionally cancels open orders first): one 207 entry per symbol. */
  closeAllPositions(q: { cancelOrders?: boolean } = {}, o: CallOptions = {}): Promise<MultiStatus<Order>[]> {
    return this.pipeline.json(
      spec('DELETE', '/v2/positions', '/v2/positions', o, {
        query: { cancel_orders: q.cancelOrders },
        lane: 'critical',
        group: 'orders',
        idempotent: true,
      }),
    );
  }

  getClock(o?: CallOptions): Promise<MarketClock> {
    return this.get('/v2/clock', '/v2/clock', o);
  }
  getCalendar(q: { start?: string; end?: string } = {}, o?: CallOptions): Promise<CalendarDay[]> {
    return this.get('/v2/calendar', '/v2/calendar', o, { start: q.start, end: q.end });
  }
  listAssets(
    q: { status?: 'active' | 'inactive'; asset_class?: string; exchange?: string } = {},
    o?: CallOptions,
  ): Promise<Asset[]> {
    return this.get('/v2/assets', '/v2/assets', o, {
      status: q.status,
      asset_class: q.asset_class,
      exchange: q.exchange,
    });
  }
  getAsset(symbolOrAssetId: string, o?: CallOptions): Promise<Asset> {
    return this.get(`/v2/assets/${seg(symbolOrAssetId)}`, '/v2/assets/{symbol_or_asset_id}', o);
  }
}

/** A trading-budget request spec with the defaults for reads. */
export function spec(
  method: RequestSpec['method'],
  path: string,
  route: string,
  o: CallOptions,
  x: {
    query?: Record<string, QueryValue>;
    body?: unknown;
    lane?: Lane;
    group?: BreakerGroup;
    idempotent?: boolean;
  } = {},
): RequestSpec {
  return {
    method,
    path,
    route,
    query: x.query,
    body: x.body,
    budget: 'trading',
    lane: x.lane ?? 'default',
    group: x.group ?? 'trading',
    idempotent: x.idempotent ?? method === 'GET',
    signal: o.signal,
    timeoutMs: o.timeoutMs,
    deadlineMs: o.deadlineMs,
  };
}

/** `/v2/orders` routes: submit, list, get (by id and client_order_id), replace, cancel one, cancel all. */
import { notFound, unprocessable } from '../errors.js';
import type { RouteDef, SimRequest } from '../types.js';
import type { AccountBook } from './book.js';
import { orderJson, type SimOrder } from './order.js';
import { listOrders, parseListQuery } from './order-list.js';
import { parseOrderRequest } from './order-request.js';
import { clientOrderIdField, queryBool, requireObject } from './parse.js';
import { parseReplaceRequest } from './replace-request.js';
import { bookRoute, ok, type TradingContext } from './routes.js';

function findOrder(book: AccountBook, req: SimRequest): SimOrder {
  const o = book.ledger.store.get(req.params.order_id ?? '');
  if (!o) throw notFound('order not found');
  return o;
}

export function orderRoutes(ctx: TradingContext): RouteDef[] {
  const counters = ctx.requests;
  return [
    bookRoute(ctx, 'POST', '/v2/orders', (book, req, now) => {
      let duplicate = false;
      try {
        const body = requireObject(req.body);
        const cid = clientOrderIdField(body);
        // Checked first, so a retried POST always learns its order exists, whatever else changed since.
        if (cid !== undefined && book.ledger.store.byClientOrderId(cid)) {
          duplicate = true;
          throw unprocessable('client_order_id must be unique');
        }
        const spec = parseOrderRequest(body, ctx.market, (symbol) => book.ledger.price(symbol, now));
        const o = book.ledger.submit(spec, cid, now);
        counters.submitted++;
        counters.uniqueClientOrderIds++;
        return ok(orderJson(o, true));
      } catch (err) {
        if (duplicate) counters.duplicateRejected++;
        else counters.rejected++;
        throw err;
      }
    }),
    bookRoute(ctx, 'GET', '/v2/orders', (book, req) => ok(listOrders(book.ledger.store, parseListQuery(req.query)))),
    bookRoute(ctx, 'DELETE', '/v2/orders', (book, _req, now) => ({
      status: 207,
      body: book.ledger.cancelAll(now).map((o) => ({ id: o.id, status: 200, body: orderJson(o, true) })),
    })),
    bookRoute(ctx, 'GET', '/v2/orders:by_client_order_id', (book, req) => {
      const cid = req.query.get('client_order_id');
      if (!cid) throw unprocessable('client_order_id is required');
      const o = book.ledger.store.byClientOrderId(cid);
      if (!o) throw notFound('order not found');
      return ok(orderJson(o, queryBool(req.query, 'nested', true)));
    }),
    bookRoute(ctx, 'GET', '/v2/orders/{order_id}', (book, req) =>
      ok(orderJson(findOrder(book, req), queryBool(req.query, 'nested', true))),
    ),
    bookRoute(ctx, 'PATCH', '/v2/orders/{order_id}', (book, req, now) => {
      const o = findOrder(book, req);
      const spec = parseReplaceRequest(requireObject(req.body), o);
      return ok(orderJson(book.ledger.replace(o, spec, now), true));
    }),
    bookRoute(ctx, 'DELETE', '/v2/orders/{order_id}', (book, req, now) => {
      book.ledger.cancel(findOrder(book, req), now);
      return { status: 204 };
    }),
  ];
}

/** `/v2/positions` routes: list, get, close one (all, `qty=` or `percentage=`), close all. */
import { notFound, SimHttpError, unprocessable } from '../errors.js';
import type { RouteDef, SimRequest } from '../types.js';
import type { AccountBook } from './book.js';
import { floorQty } from './format.js';
import type { Ledger } from './ledger.js';
import { orderJson } from './order.js';
import { positiveQty } from './order-request.js';
import { decimalField, queryBool } from './parse.js';
import { positionJson, type SimPosition } from './position.js';
import { bookRoute, ok, type TradingContext } from './routes.js';

function findPosition(ctx: TradingContext, book: AccountBook, req: SimRequest): SimPosition {
  const key = req.params.symbol_or_asset_id ?? '';
  const asset = ctx.market.asset(key) ?? ctx.market.asset(key.toUpperCase());
  const pos = book.ledger.portfolio.positions.get(asset?.symbol ?? key.toUpperCase());
  if (!pos) throw notFound('position does not exist');
  return pos;
}

function json(ledger: Ledger, p: SimPosition, now: number): Record<string, unknown> {
  const symbol = p.asset.symbol;
  return positionJson(p, ledger.price(symbol, now), ledger.held(symbol, p.qty > 0 ? 'sell' : 'buy'));
}

const sorted = (ledger: Ledger): SimPosition[] =>
  [...ledger.portfolio.positions.values()].sort((a, b) => (a.asset.symbol < b.asset.symbol ? -1 : 1));

/** The quantity a close request asks for: all of it, `qty=`, or `percentage=` (rounded down to what may trade). */
function closeQty(q: URLSearchParams, p: SimPosition): number {
  const fields = { qty: q.get('qty') ?? undefined, percentage: q.get('percentage') ?? undefined };
  const qty = decimalField(fields, 'qty');
  const pct = decimalField(fields, 'percentage');
  if (qty && pct) throw unprocessable('only one of qty or percentage may be specified');
  const whole = !p.asset.fractionable;
  if (qty) {
    positiveQty(qty.value, qty.places);
    if (whole && qty.places > 0) throw unprocessable(`asset ${p.asset.symbol} is not fractionable`);
    return qty.value;
  }
  const abs = Math.abs(p.qty);
  if (!pct) return abs;
  if (!(pct.value > 0 && pct.value <= 100)) throw unprocessable('percentage must be between 0 and 100');
  const raw = (abs * pct.value) / 100;
  const out = whole ? Math.floor(raw + 1e-9) : floorQty(raw);
  if (!(out > 0)) throw unprocessable('qty must be > 0');
  return out;
}

export function positionRoutes(ctx: TradingContext): RouteDef[] {
  return [
    bookRoute(ctx, 'GET', '/v2/positions', (book, _req, now) =>
      ok(sorted(book.ledger).map((p) => json(book.ledger, p, now))),
    ),
    bookRoute(ctx, 'GET', '/v2/positions/{symbol_or_asset_id}', (book, req, now) =>
      ok(json(book.ledger, findPosition(ctx, book, req), now)),
    ),
    bookRoute(ctx, 'DELETE', '/v2/positions/{symbol_or_asset_id}', (book, req, now) => {
      const p = findPosition(ctx, book, req);
      const order = book.ledger.closePosition(p.asset, closeQty(req.query, p), now);
      return ok(orderJson(order, true));
    }),
    bookRoute(ctx, 'DELETE', '/v2/positions', (book, req, now) => {
      const ledger = book.ledger;
      if (queryBool(req.query, 'cancel_orders', false)) ledger.cancelAll(now);
      const body = sorted(ledger).map((p) => {
        const symbol = p.asset.symbol;
        try {
          return { symbol, status: 200, body: orderJson(ledger.closePosition(p.asset, Math.abs(p.qty), now), true) };
        } catch (err) {
          if (err instanceof SimHttpError) return { symbol, status: err.status, body: err.toBody() };
          throw err;
        }
      });
      return { status: 207, body };
    }),
  ];
}

/**
 * Route plumbing shared by the trading routes: every handler first brings the account's book up to the
 * market's now, and re-arms its timer afterwards (also when the handler throws).
 */
import type { MarketModel, Method, RouteDef, SimAccount, SimRequest, SimResponse } from '../types.js';
import type { AccountBook } from './book.js';

/** Counters of `POST /v2/orders` outcomes. */
export interface RequestCounters {
  submitted: number;
  uniqueClientOrderIds: number;
  duplicateRejected: number;
  rejected: number;
}

export interface TradingContext {
  readonly market: MarketModel;
  readonly requests: RequestCounters;
  book(account: SimAccount): AccountBook;
}

export type BookHandler = (book: AccountBook, req: SimRequest, now: number) => SimResponse;

export function bookRoute(ctx: TradingContext, method: Method, template: string, handler: BookHandler): RouteDef {
  return {
    method,
    template,
    host: 'trading',
    handler: (req) => {
      const book = ctx.book(req.account);
      const now = book.sync();
      try {
        return handler(book, req, now);
      } finally {
        book.settle();
      }
    },
  };
}

export const ok = (body: unknown): SimResponse => ({ status: 200, body });

export function accountRoutes(ctx: TradingContext): RouteDef[] {
  return [bookRoute(ctx, 'GET', '/v2/account', (book, _req, now) => ok(book.accountView.json(now)))];
}

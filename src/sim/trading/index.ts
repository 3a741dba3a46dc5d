/**
 * The simulator's trading engine: per-account cash, positions and orders behind Alpaca's trading routes
 * (`/v2/account`, `/v2/orders…`, `/v2/positions…`), filling against the synthetic market over market time and
 * appending every order state change to the trade-update log.
 */
import { z } from 'zod';
import { parseConfig, positiveInt, positiveMs } from '../../core/config.js';
import type { RouteDef, SimAccount, SimDeps } from '../types.js';
import { AccountBook, type BookOptions } from './book.js';
import type { LedgerRandoms, LifecycleCounters } from './ledger.js';
import { orderRoutes } from './order-routes.js';
import { positionRoutes } from './position-routes.js';
import { accountRoutes, type RequestCounters, type TradingContext } from './routes.js';

export interface TradingStats {
  /** `POST /v2/orders` that created an order. */
  submitted: number;
  /** Distinct client_order_ids among created orders (within the retained order history). */
  unique_client_order_ids: number;
  /** `POST /v2/orders` refused because the client_order_id already existed. */
  duplicate_rejected: number;
  /** Orders open now (accepted, new, partially filled or held legs). */
  open: number;
  filled: number;
  /** Orders that ended canceled or expired. */
  canceled: number;
  replaced: number;
  /** `POST /v2/orders` refused for any other reason (validation, buying power, held quantity). */
  rejected: number;
}

export interface TradingEngine {
  /** Routes for host 'trading'. */
  routes(): RouteDef[];
  stats(): TradingStats;
  /** Back to initial cash with no orders or positions; counters zeroed. Ids keep coming from the same streams. */
  reset(): void;
  /** Clears all timers; requests are still served (lazily) but no timer is armed again. */
  close(): void;
}

export interface TradingEngineOptions {
  /** Market ms between engine steps while working orders can trade. @default 100 */
  stepMs?: number;
  /** Host ms that must pass between steps at least, so fast-forwarded markets do not spin. @default 5 */
  minHostStepMs?: number;
  /** Market ms between steps for extended-hours orders while no session is open. @default 60000 */
  closedPollMs?: number;
  /** Orders kept per account; the oldest terminal ones are evicted beyond it. @default 100000 */
  maxOrdersPerAccount?: number;
  /** Steps one catch-up may take before jumping to now. @default 10000 */
  maxCatchUpSteps?: number;
}

const optionsSchema = z.strictObject({
  stepMs: positiveMs.default(100),
  minHostStepMs: positiveMs.default(5),
  closedPollMs: positiveMs.default(60_000),
  maxOrdersPerAccount: positiveInt.default(100_000),
  maxCatchUpSteps: positiveInt.default(10_000),
});

export function createTradingEngine(
  deps: SimDeps,
  accounts: readonly SimAccount[],
  options: TradingEngineOptions = {},
): TradingEngine {
  const o = parseConfig(optionsSchema, options, 'trading');
  const scale = deps.timeScale > 0 && Number.isFinite(deps.timeScale) ? deps.timeScale : 1;
  const bookOptions: BookOptions = {
    stepMs: Math.max(o.stepMs, o.minHostStepMs / scale),
    closedPollMs: o.closedPollMs,
    maxCatchUpSteps: o.maxCatchUpSteps,
    maxOrders: o.maxOrdersPerAccount,
  };
  const base = deps.random.fork('orders');
  // Random streams outlive reset(), so ids never repeat within a simulator run.
  const randoms = new Map<string, LedgerRandoms>();
  const books = new Map<string, AccountBook>();
  const requests: RequestCounters = { submitted: 0, uniqueClientOrderIds: 0, duplicateRejected: 0, rejected: 0 };
  const lifecycle: LifecycleCounters = { filled: 0, canceled: 0, replaced: 0 };
  let closed = false;

  const randomsFor = (account: SimAccount): LedgerRandoms => {
    let r = randoms.get(account.id);
    if (!r) {
      const stream = base.fork(account.id);
      r = {
        ids: stream.fork('id'),
        clientOrderIds: stream.fork('client_order_id'),
        executions: stream.fork('execution'),
      };
      randoms.set(account.id, r);
    }
    return r;
  };

  const ctx: TradingContext = {
    market: deps.market,
    requests,
    book(account) {
      let b = books.get(account.id);
      if (!b) {
        b = new AccountBook(account, deps, randomsFor(account), lifecycle, bookOptions);
        if (closed) b.dispose();
        books.set(account.id, b);
      }
      return b;
    },
  };
  for (const a of accounts) ctx.book(a);

  return {
    routes: () => [...accountRoutes(ctx), ...orderRoutes(ctx), ...positionRoutes(ctx)],
    stats() {
      let open = 0;
      for (const b of books.values()) open += b.ledger.store.open.size;
      return {
        submitted: requests.submitted,
        unique_client_order_ids: requests.uniqueClientOrderIds,
        duplicate_rejected: requests.duplicateRejected,
        open,
        filled: lifecycle.filled,
        canceled: lifecycle.canceled,
        replaced: lifecycle.replaced,
        rejected: requests.rejected,
      };
    },
    reset() {
      for (const b of books.values()) b.dispose();
      books.clear();
      Object.assign(requests, { submitted: 0, uniqueClientOrderIds: 0, duplicateRejected: 0, rejected: 0 });
      Object.assign(lifecycle, { filled: 0, canceled: 0, replaced: 0 });
      for (const a of accounts) ctx.book(a);
    },
    close() {
      closed = true;
      for (const b of books.values()) b.dispose();
    },
  };
}

import { systemClock } from '../core/clock.js';
import { Emitter, type Event } from '../core/events.js';
import { silentLogger } from '../core/logger.js';
import { systemRandom, uuidV4 } from '../core/random.js';
import { BreakerRegistry } from '../http/breaker-registry.js';
import { RetryPolicy } from '../http/retry.js';
import type { QueryValue } from '../http/transport.js';
import { Transport } from '../http/transport.js';
import { hashKey } from '../limit/key.js';
import { RateLimiter } from '../limit/rate-limiter.js';
import type { Lane } from '../limit/types.js';
import { DataApi } from './data.js';
import type { ClientEvent } from './events.js';
import { type BudgetOptions, type ClientOptions, resolveClientOptions } from './options.js';
import { OrderManager } from './orders.js';
import { type ApiMethod, type BreakerGroup, type Budget, type CallOptions, Pipeline } from './pipeline.js';
import { TradingApi } from './trading.js';

export interface RawRequestOptions extends CallOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** @default 'default' */
  lane?: Lane;
  /** @default 'data' for /v1beta*, /v2/stocks…; else 'trading' */
  budget?: Budget;
  /** Retried only when true. @default true for GET, false otherwise */
  idempotent?: boolean;
  /** Telemetry label; never put ids here. @default 'custom' */
  route?: string;
}

export interface Client {
  readonly trading: TradingApi;
  readonly data: DataApi;
  /** Any other endpoint, with the same limiter, breaker, timeouts and (for idempotent calls) retries. */
  request<T = unknown>(method: ApiMethod, path: string, options?: RawRequestOptions): Promise<T>;
  readonly limiter: Readonly<Record<Budget, RateLimiter>>;
  readonly breakers: BreakerRegistry;
  readonly onEvent: Event<ClientEvent>;
  /** Closes pools and limiters it created (not a store or limiter you passed in). */
  close(): Promise<void>;
}

const DATA_PATH = /^\/(v2\/stocks|v1beta\d*)\//;

/** Builds a client. Invalid options throw ConfigError naming the field, here, not on the first request. */
export function createClient(options: ClientOptions = {}): Client {
  const r = resolveClientOptions(options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const logger = options.logger ?? silentLogger;
  const events = new Emitter<ClientEvent>((err) => logger.error({ err }, 'corral client event listener threw'));
  const auth = { 'APCA-API-KEY-ID': r.keyId, 'APCA-API-SECRET-KEY': r.secretKey };

  const transport = (url: string, budget: Budget) =>
    new Transport({
      ...options.transport,
      origin: new URL(url).origin,
      clock,
      defaultHeaders: auth,
      acceptGzip: budget === 'data',
    });
  const transports: Record<Budget, Transport> = {
    trading: transport(r.tradingUrl, 'trading'),
    data: transport(r.dataUrl, 'data'),
  };
  const prefixes: Record<Budget, string> = {
    trading: new URL(r.tradingUrl).pathname.replace(/\/$/, ''),
    data: new URL(r.dataUrl).pathname.replace(/\/$/, ''),
  };

  const owned: RateLimiter[] = [];
  const limiter = (budget: Budget, b: BudgetOptions | undefined): RateLimiter => {
    if (b?.limiter) return b.limiter;
    const l = new RateLimiter({
      name: budget,
      windows: b?.windows ?? (budget === 'trading' ? 'trading' : 'data'),
      criticalReserve: b?.criticalReserve,
      deadlineMs: b?.deadlineMs,
      store: options.rateLimit?.store,
      key: hashKey(r.keyId),
      clock,
      random,
    });
    owned.push(l);
    return l;
  };
  const limiters: Record<Budget, RateLimiter> = {
    trading: limiter('trading', options.rateLimit?.trading),
    data: limiter('data', options.rateLimit?.data),
  };
  const subs = (['trading', 'data'] as const).map((budget) =>
    limiters[budget].onEvent((event) => events.fire({ type: 'limiter', budget, event })),
  );

  const breakers = new BreakerRegistry({ defaults: { ...options.breaker, clock } });
  subs.push(breakers.onStateChange((c) => events.fire({ type: 'breaker', ...c })));
  const retry = new RetryPolicy({
    maxAttempts: options.retry?.maxAttempts,
    budgetMs: options.retry?.budgetMs,
    clock,
    random,
  });
  subs.push(retry.onRetry((e) => events.fire({ type: 'retry', ...e })));
  subs.push(retry.onGiveUp((e) => events.fire({ type: 'give-up', ...e })));

  const pipeline = new Pipeline({
    transports,
    prefixes,
    limiters,
    breakers,
    retry,
    clock,
    secrets: [r.secretKey],
    events,
  });
  const orders = new OrderManager({
    pipeline,
    clock,
    random,
    events,
    budgetMs: r.ordersBudgetMs,
    maxSubmitAttempts: r.maxSubmitAttempts,
    newId: () => uuidV4(),
  });

  return {
    trading: new TradingApi(pipeline, orders),
    data: new DataApi(pipeline),
    limiter: limiters,
    breakers,
    onEvent: events.event,
    request: <T>(method: ApiMethod, path: string, o: RawRequestOptions = {}) => {
      const budget = o.budget ?? (DATA_PATH.test(path) ? 'data' : 'trading');
      const group: BreakerGroup = budget === 'data' ? 'data' : method === 'GET' ? 'trading' : 'orders';
      return pipeline.json<T>({
        method,
        path,
        route: o.route ?? 'custom',
        query: o.query,
        body: o.body,
        budget,
        lane: o.lane ?? 'default',
        group,
        idempotent: o.idempotent ?? method === 'GET',
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        deadlineMs: o.deadlineMs,
      });
    },
    close: async () => {
      for (const s of subs) s.dispose();
      await Promise.all([...owned.map((l) => l.close()), transports.trading.close(), transports.data.close()]);
      breakers.dispose();
      events.dispose();
    },
  };
}

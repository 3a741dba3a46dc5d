import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { parseConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Random } from '../core/random.js';
import type { CircuitBreakerOptions } from '../http/breaker.js';
import type { TransportOptions } from '../http/transport-options.js';
import type { PresetName } from '../limit/presets.js';
import type { RateLimiter } from '../limit/rate-limiter.js';
import type { LimiterStore } from '../limit/store.js';
import type { Lane, WindowLimit } from '../limit/types.js';

export const PAPER_TRADING_URL = 'https://paper-api.alpaca.markets';
export const LIVE_TRADING_URL = 'https://api.alpaca.markets';
export const DATA_URL = 'https://data.alpaca.markets';

/** Per-budget limiter settings, or an existing limiter to share (for example between clients of one account). */
export interface BudgetOptions {
  /** Window constraints or a preset. @default 'trading' (200/min + 10/s) for trading, 'data' (200/min) for data */
  windows?: WindowLimit[] | PresetName;
  /** Share of each window only `critical` work may use. @default 0.1 */
  criticalReserve?: number;
  /** Per-lane fail-fast deadlines (ms). @default critical 30 s, orders 10 s, default 60 s, background 300 s */
  deadlineMs?: Partial<Record<Lane, number>>;
  /** Use this limiter instead of building one. */
  limiter?: RateLimiter;
}

export interface ClientOptions {
  /** API key id. @default process.env.APCA_API_KEY_ID */
  keyId?: string;
  /** API secret. @default process.env.APCA_API_SECRET_KEY */
  secretKey?: string;
  /** Trade with real money. Must be asked for explicitly; without it the client refuses a live URL. @default false */
  live?: boolean;
  /** Trading REST base URL. @default APCA_API_BASE_URL, else paper-api (or api when live) */
  tradingUrl?: string;
  /** Market-data REST base URL. @default APCA_API_DATA_URL, else https://data.alpaca.markets */
  dataUrl?: string;
  /** Environment to read the APCA_* variables from. @default process.env */
  env?: Record<string, string | undefined>;
  /** Transport settings shared by both origins (pool of 10, 5 s connect, 30 s headers/body...). */
  transport?: Omit<TransportOptions, 'origin' | 'clock' | 'acceptGzip' | 'defaultHeaders'>;
  /** Rate limiting per budget; `store` (for example a RedisStore) is shared by both. */
  rateLimit?: { trading?: BudgetOptions; data?: BudgetOptions; store?: LimiterStore };
  /** Retries of idempotent requests. */
  retry?: { maxAttempts?: number; budgetMs?: number };
  /** Circuit breaker settings for every endpoint group (orders, trading, data). */
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'clock'>;
  /** Exactly-once order handling. */
  orders?: {
    /** Total time to settle an order's state after ambiguous failures. @default 60_000 */
    budgetMs?: number;
    /** Most POST attempts for one submit. @default 6 */
    maxSubmitAttempts?: number;
  };
  clock?: Clock;
  random?: Random;
  logger?: Logger;
}

export interface ResolvedClientOptions {
  keyId: string;
  secretKey: string;
  live: boolean;
  tradingUrl: string;
  dataUrl: string;
  ordersBudgetMs: number;
  maxSubmitAttempts: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https everywhere; plain http only to loopback (the simulator), since http would carry the keys in clear. */
function checkUrl(field: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(field, `not a URL: "${value}"`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname)))
    throw new ConfigError(
      field,
      'must be https (plain http is accepted only for loopback hosts such as the simulator)',
    );
  if (u.search || u.hash || u.username || u.password)
    throw new ConfigError(field, 'must not carry a query, fragment or credentials');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

const schema = z.object({
  keyId: z.string().min(1, 'missing: pass keyId or set APCA_API_KEY_ID').max(256),
  secretKey: z.string().min(1, 'missing: pass secretKey or set APCA_API_SECRET_KEY').max(512),
  live: z.boolean(),
  ordersBudgetMs: z.number().positive().max(3_600_000),
  maxSubmitAttempts: z.number().int().min(1).max(50),
});

/** Resolves credentials and URLs from options and environment. Throws ConfigError naming the field. */
export function resolveClientOptions(o: ClientOptions): ResolvedClientOptions {
  const env = o.env ?? process.env;
  const base = parseConfig(
    schema,
    {
      keyId: o.keyId ?? env.APCA_API_KEY_ID ?? '',
      secretKey: o.secretKey ?? env.APCA_API_SECRET_KEY ?? '',
      live: o.live ?? false,
      ordersBudgetMs: o.orders?.budgetMs ?? 60_000,
      maxSubmitAttempts: o.orders?.maxSubmitAttempts ?? 6,
    },
    '',
  );
  const tradingField = o.tradingUrl !== undefined ? 'tradingUrl' : 'APCA_API_BASE_URL';
  const tradingUrl = checkUrl(
    tradingField,
    o.tradingUrl ?? env.APCA_API_BASE_URL ?? (base.live ? LIVE_TRADING_URL : PAPER_TRADING_URL),
  );
  const dataUrl = checkUrl(
    o.dataUrl !== undefined ? 'dataUrl' : 'APCA_API_DATA_URL',
    o.dataUrl ?? env.APCA_API_DATA_URL ?? DATA_URL,
  );
  const host = new URL(tradingUrl).hostname;
  if (!base.live && host === new URL(LIVE_TRADING_URL).hostname)
    throw new ConfigError(tradingField, 'points at live trading (real money): pass live: true to allow it');
  if (base.live && host === new URL(PAPER_TRADING_URL).hostname)
    throw new ConfigError('live', 'live: true but the trading URL is the paper host');
  return { ...base, tradingUrl, dataUrl };
}

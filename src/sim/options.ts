import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { parseConfig, parseRate } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { FaultRuleInput } from './faults.js';

export type RatePolicy = 'fixed-window' | 'sliding-window';

export interface RateSpec {
  limit: number;
  windowMs: number;
}

/** Options of {@link startSimulator}. Durations are simulator time: the server multiplies them by `timeScale`. */
export interface SimulatorOptions {
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Accounts accepted by auth. @default one demo account (see DEMO_KEY_ID) */
  accounts?: Array<{ keyId: string; secretKey: string; cash?: number }>;
  /** Per key and host class: `'200/1m'` or `{limit, windowMs}`; `false` disables limiting. @default '200/1m' */
  rate?: string | RateSpec | false;
  /** Data host budget when it differs from `rate`. @default same as rate */
  dataRate?: string | RateSpec | false;
  /** Optional burst limit (the seed's `'10/1s'`) enforced next to `rate`. @default none */
  burst?: string | RateSpec | false;
  /** How windows are counted. @default 'fixed-window' */
  policy?: RatePolicy;
  /** Send `Retry-After` (seconds) on 429; Alpaca does not document it. @default false */
  retryAfter?: boolean;
  /** Seed of the synthetic market, ids and fault draws. @default 1 */
  seed?: number;
  /** Real duration of one simulator millisecond: 0.01 makes a 60 s window last 0.6 s. @default 1 */
  timeScale?: number;
  /** Fault rules, or the compact spec string of `--faults`. @default none */
  faults?: string | FaultRuleInput[];
  /** Market clock start (RFC-3339 or epoch ms). @default now if a session is open, else 10:00 New York of the last trading day */
  marketStart?: string | number;
  /** Market milliseconds from order acceptance to the first fill attempt. @default 50 */
  fillLatencyMs?: number;
  /** Asset universe override (symbols). @default about 40 well-known symbols plus FAKEPACA */
  symbols?: string[];
  /** Largest accepted request body. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Entries kept by the request log (`GET /_sim/requests`). @default 100000 */
  requestLogSize?: number;
  /** Injected host clock. @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
}

export const DEMO_KEY_ID = 'PKCORRALDEMO0000000';
export const DEMO_SECRET = 'corral-demo-secret-0000000000000000000000';

const rateInput = z.union([
  z.string(),
  z.object({ limit: z.number().int().positive(), windowMs: z.number().positive() }),
  z.literal(false),
]);

const schema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(0),
    accounts: z
      .array(
        z.object({
          keyId: z.string().min(1).max(128),
          secretKey: z.string().min(1).max(256),
          cash: z.number().nonnegative().finite().optional(),
        }),
      )
      .min(1)
      .optional(),
    rate: rateInput.default('200/1m'),
    dataRate: rateInput.optional(),
    burst: rateInput.default(false),
    policy: z.enum(['fixed-window', 'sliding-window']).default('fixed-window'),
    retryAfter: z.boolean().default(false),
    seed: z.number().int().default(1),
    timeScale: z.number().positive().max(1000).default(1),
    faults: z.union([z.string(), z.array(z.unknown())]).optional(),
    marketStart: z.union([z.string(), z.number()]).optional(),
    fillLatencyMs: z.number().nonnegative().finite().default(50),
    symbols: z
      .array(z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/, 'symbols are 1-10 upper-case characters'))
      .min(1)
      .optional(),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    requestLogSize: z.number().int().min(0).max(10_000_000).default(100_000),
  })
  .passthrough();

export interface ResolvedSimOptions {
  host: string;
  port: number;
  accounts: Array<{ keyId: string; secretKey: string; cash: number }>;
  rate: RateSpec | undefined;
  dataRate: RateSpec | undefined;
  burst: RateSpec | undefined;
  policy: RatePolicy;
  retryAfter: boolean;
  seed: number;
  timeScale: number;
  faults: string | unknown[] | undefined;
  marketStart: number | undefined;
  fillLatencyMs: number;
  symbols: string[] | undefined;
  maxBodyBytes: number;
  requestLogSize: number;
}

function toRate(v: string | RateSpec | false | undefined, field: string): RateSpec | undefined {
  if (v === false || v === undefined) return undefined;
  return typeof v === 'string' ? parseRate(v, field) : v;
}

/** Validates options (ConfigError names the field) and fills defaults. */
export function resolveSimOptions(input: SimulatorOptions = {}): ResolvedSimOptions {
  const { clock: _c, logger: _l, ...rest } = input;
  const o = parseConfig(schema, rest, 'simulator');
  const rate = toRate(o.rate, 'simulator.rate');
  let marketStart: number | undefined;
  if (o.marketStart !== undefined) {
    marketStart = typeof o.marketStart === 'number' ? o.marketStart : Date.parse(o.marketStart);
    if (!Number.isFinite(marketStart))
      throw new ConfigError('simulator.marketStart', 'expected an RFC-3339 time or epoch ms');
  }
  return {
    host: o.host,
    port: o.port,
    accounts: (o.accounts ?? [{ keyId: DEMO_KEY_ID, secretKey: DEMO_SECRET }]).map((a) => ({
      ...a,
      cash: a.cash ?? 100_000,
    })),
    rate,
    dataRate: o.dataRate === undefined ? rate : toRate(o.dataRate, 'simulator.dataRate'),
    burst: toRate(o.burst, 'simulator.burst'),
    policy: o.policy,
    retryAfter: o.retryAfter,
    seed: o.seed,
    timeScale: o.timeScale,
    faults: o.faults,
    marketStart,
    fillLatencyMs: o.fillLatencyMs,
    symbols: o.symbols,
    maxBodyBytes: o.maxBodyBytes,
    requestLogSize: o.requestLogSize,
  };
}

import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { parseConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Random } from '../core/random.js';
import { systemRandom } from '../core/random.js';
import type { LimitTable } from './limit-table.js';
import { MemoryStore } from './memory-store.js';
import { isPresetName, type PresetName, presets } from './presets.js';
import { isLimiterStore, type LimiterStore } from './store.js';
import { type AcquireOptions, LANES, type Lane, type WindowLimit } from './types.js';

export interface RateLimiterOptions {
  /** Window constraints, or a preset name (`trading`, `tradingPlus`, `data`, `dataPlus`). */
  windows: WindowLimit[] | PresetName;
  /**
   * Budget name, part of the store keys (`trading`, `data`): one limiter per budget.
   * @default the preset name when `windows` is a preset, else 'default'
   */
  name?: string;
  /** Share of each window only the critical lane may use (0..0.5). @default 0.1 */
  criticalReserve?: number;
  /** Per-lane default deadline in ms. @default { critical: 30_000, orders: 10_000, default: 60_000, background: 300_000 } */
  deadlineMs?: Partial<Record<Lane, number>>;
  /** Most waiting requests per lane. @default 1000 */
  maxQueue?: number;
  /** How many later or lower requests may overtake a weighted head that does not fit. @default 4 */
  maxSkips?: number;
  /** A permit not released after this long is released automatically. @default 120_000 */
  maxHoldMs?: number;
  /** Raise the main window's limit when X-RateLimit-Limit says it is larger (a smaller one is always adopted). @default true */
  learnLimit?: boolean;
  /** Where admissions are recorded. @default new MemoryStore() */
  store?: LimiterStore;
  /** Store namespace shared by every process of one account: use a hash of the account or key id, never a secret. @default 'default' */
  key?: string;
  /** @default systemClock */
  clock?: Clock;
  /** Jitter source. @default systemRandom */
  random?: Random;
  /** Most extra sleep (random) added to waits on a shared store, so processes do not wake in lockstep. @default 5 */
  jitterMs?: number;
}

export const DEFAULT_DEADLINES: Readonly<Record<Lane, number>> = {
  critical: 30_000,
  orders: 10_000,
  default: 60_000,
  background: 300_000,
};

/** Store keys may not contain `{`, `}` (the Cluster hash tag) or anything that could smuggle structure. */
export const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const keyField = z.string().regex(KEY_PATTERN, 'use 1-128 of A-Z a-z 0-9 _ . : -');
const ms = z.number().nonnegative().finite();

const windowSchema = z.object({
  limit: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  windowMs: z
    .number()
    .positive()
    .max(7 * 86_400_000),
});

const schema = z
  .object({
    windows: z
      .array(windowSchema)
      .min(1)
      .max(8)
      .refine((ws) => new Set(ws.map((w) => w.windowMs)).size === ws.length, 'two windows have the same windowMs'),
    name: keyField.optional(),
    criticalReserve: z.number().min(0).max(0.5).default(0.1),
    deadlineMs: z
      .object({ critical: ms.optional(), orders: ms.optional(), default: ms.optional(), background: ms.optional() })
      .strict()
      .default({}),
    maxQueue: z.number().int().positive().max(1_000_000).default(1000),
    maxSkips: z.number().int().nonnegative().max(10_000).default(4),
    maxHoldMs: z.number().positive().max(86_400_000).default(120_000),
    learnLimit: z.boolean().default(true),
    store: z.custom<LimiterStore>(isLimiterStore, 'expected a LimiterStore such as new MemoryStore()').optional(),
    key: keyField.default('default'),
    clock: z.custom<Clock>((v) => typeof (v as Clock)?.now === 'function', 'expected a Clock').optional(),
    random: z.custom<Random>((v) => typeof (v as Random)?.next === 'function', 'expected a Random').optional(),
    jitterMs: z.number().nonnegative().max(60_000).default(5),
  })
  .strict();

export interface ResolvedOptions {
  windows: WindowLimit[];
  name: string;
  criticalReserve: number;
  deadlineMs: Record<Lane, number>;
  maxQueue: number;
  maxSkips: number;
  maxHoldMs: number;
  learnLimit: boolean;
  store: LimiterStore;
  key: string;
  clock: Clock;
  random: Random;
  jitterMs: number;
}

/** Validates the options; throws ConfigError naming the field (`limiter.windows[0].limit`). */
export function resolveOptions(options: RateLimiterOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('limiter', 'options are required');
  let windows: unknown = options.windows;
  let presetName: string | undefined;
  if (typeof windows === 'string') {
    if (!isPresetName(windows)) {
      throw new ConfigError('limiter.windows', `unknown preset "${windows}" (use ${Object.keys(presets).join(', ')})`);
    }
    presetName = windows;
    windows = presets[windows].map((w) => ({ ...w }));
  }
  const parsed = parseConfig(schema, { ...options, windows }, 'limiter');
  return {
    ...parsed,
    windows: parsed.windows.map((w) => ({ ...w })),
    name: parsed.name ?? presetName ?? 'default',
    deadlineMs: { ...DEFAULT_DEADLINES, ...stripUndefined(parsed.deadlineMs) },
    store: parsed.store ?? new MemoryStore(),
    clock: parsed.clock ?? systemClock,
    random: parsed.random ?? systemRandom,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Acquire options after validation. */
export interface AcquireRequest {
  lane: Lane;
  weight: number;
  deadlineMs: number;
  signal?: AbortSignal;
}

/** Validates acquire options on the hot path (no zod); throws ConfigError naming the field. */
export function parseAcquire(
  options: AcquireOptions,
  limits: LimitTable,
  deadlines: Readonly<Record<Lane, number>>,
): AcquireRequest {
  const lane = options.lane ?? 'default';
  if (!LANES.includes(lane)) throw new ConfigError('acquire.lane', `expected one of ${LANES.join(', ')}`);
  const weight = options.weight ?? 1;
  if (!Number.isSafeInteger(weight) || weight < 1)
    throw new ConfigError('acquire.weight', 'must be a positive integer');
  const max = limits.maxWeight(lane);
  if (weight > max) {
    throw new ConfigError(
      'acquire.weight',
      `${weight} exceeds what the ${lane} lane may ever hold in one window (${max})`,
    );
  }
  const deadlineMs = options.deadlineMs ?? deadlines[lane];
  if (typeof deadlineMs !== 'number' || !Number.isFinite(deadlineMs) || deadlineMs < 0) {
    throw new ConfigError('acquire.deadlineMs', 'must be a finite number of ms ≥ 0');
  }
  return { lane, weight, deadlineMs, signal: options.signal };
}

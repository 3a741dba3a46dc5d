import type { WindowLimit } from './types.js';

/**
 * Alpaca's documented budgets (see docs/rate-limiting.md). Trading and data budgets are separate: use one limiter per
 * budget, each with its own `name`.
 */
export const presets = {
  /** Trading API: 200 requests per minute and at most 10 per second. */
  trading: [
    { limit: 200, windowMs: 60_000 },
    { limit: 10, windowMs: 1_000 },
  ],
  /** Trading API with Alpaca Plus (up to 1000 per minute). */
  tradingPlus: [{ limit: 1000, windowMs: 60_000 }],
  /** Market data, Free/Basic plan. */
  data: [{ limit: 200, windowMs: 60_000 }],
  /** Market data, Algo Trader Plus. */
  dataPlus: [{ limit: 10_000, windowMs: 60_000 }],
} satisfies Record<string, WindowLimit[]>;

export type PresetName = keyof typeof presets;

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && Object.hasOwn(presets, value);
}

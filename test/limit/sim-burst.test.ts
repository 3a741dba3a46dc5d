/**
 * Acceptance: a 2,000-request burst from 20 concurrent callers against the simulator's time-scaled 100/1 s limit
 * gets zero 429s under both server policies, and the server saw at most 100 requests in every rolling second.
 */
import { describe, expect, it } from 'vitest';
import type { RatePolicy, Simulator } from '../../src/sim/index.js';
import { pair } from '../alpaca/setup.js';
import { maxInAnyWindow } from './windows.js';

async function burst(policy: RatePolicy): Promise<{ sim: Simulator; failures: unknown[] }> {
  const { sim, client } = await pair(
    { rate: '100/1s', policy },
    { rateLimit: { trading: { windows: [{ limit: 100, windowMs: 1000 }], criticalReserve: 0 } } },
  );
  const failures: unknown[] = [];
  let left = 2000;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (left > 0) {
        left--;
        await client.trading.getAccount().catch((e: unknown) => failures.push(e));
      }
    }),
  );
  return { sim, failures };
}

describe('limiter against the simulator', () => {
  it('2,000 requests, 20 callers, 100/1 s: zero 429s under fixed-window and sliding-window', async () => {
    const runs = await Promise.all([burst('fixed-window'), burst('sliding-window')]);
    for (const { sim, failures } of runs) {
      expect(failures).toEqual([]);
      const stats = sim.stats();
      expect(stats.rate_limited).toBe(0);
      expect(stats.by_route['GET /v2/account']).toEqual({ '200': 2000 });
      const times = sim.requestLog(0, 10_000).map((e) => e.t);
      expect(times).toHaveLength(2000);
      expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(100);
    }
  }, 60_000);
});

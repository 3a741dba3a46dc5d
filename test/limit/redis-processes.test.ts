/**
 * Acceptance: four separate processes share one RedisStore budget against the simulator: zero 429s and the
 * aggregate rate within the limit on every rolling window, as the server itself saw it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/core/random.js';
import { type Simulator, startSimulator } from '../../src/sim/index.js';
import { maxInAnyWindow } from './windows.js';

const run = promisify(execFile);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER = new URL('./fixtures/redis-worker.mjs', import.meta.url).pathname;
let redisUp = false;
let sim: Simulator;

beforeAll(async () => {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  redisUp = await r.connect().then(
    () => r.ping().then(() => true),
    () => false,
  );
  r.disconnect();
});
afterAll(async () => {
  await sim?.close();
});

describe('RedisStore shared by separate processes', () => {
  it('4 processes × 250 requests at 100/1 s: zero 429s, ≤ 100 per rolling second at the server', async (ctx) => {
    if (!redisUp) ctx.skip(); // CI starts Redis (.ci/run); a developer machine without it skips with this message
    const keyId = `PKREDIS${randomToken(6).toUpperCase()}`; // fresh Redis keys for this run
    sim = await startSimulator({
      rate: '100/1s',
      policy: 'sliding-window',
      accounts: [{ keyId, secretKey: 'redis-test-secret' }],
      marketStart: '2024-07-23T14:00:00Z',
    });
    const job = {
      redisUrl: REDIS_URL,
      keyId,
      secretKey: 'redis-test-secret',
      url: sim.url,
      limit: 100,
      windowMs: 1000,
      requests: 250,
      concurrency: 5,
    };
    const outs = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, [WORKER, JSON.stringify(job)], { timeout: 60_000 })),
    );
    const results = outs.map(
      (o) => JSON.parse(o.stdout.trim()) as { pid: number; statuses: Record<string, number>; elapsedMs: number },
    );
    expect(new Set(results.map((r) => r.pid)).size).toBe(4);
    for (const r of results) expect(r.statuses).toEqual({ ok: 250 });
    const stats = sim.stats();
    expect(stats.rate_limited).toBe(0);
    expect(stats.by_route['GET /v2/account']).toEqual({ '200': 1000 });
    const times = sim.requestLog(0, 10_000).map((e) => e.t);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(100);
    // the budget was shared, not multiplied: 1,000 requests at 100/s need at least 9 s
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(9000);
  }, 90_000);
});

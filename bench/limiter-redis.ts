/**
 * RedisStore cost: per-acquire latency p50/p99 (sequential, 2,000 acquires, each released) and acquires per second,
 * against REDIS_URL (default redis://127.0.0.1:6379). Keys are removed afterwards.
 */
import { Redis } from 'ioredis';
import { randomToken } from '../src/core/random.js';
import { RateLimiter, RedisStore } from '../src/limit/index.js';
import { percentile, round } from './util.js';

const N = 2000;

export async function run(): Promise<Record<string, unknown>> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client = new Redis(url, { enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
    });
  } catch {
    client.disconnect();
    return { skipped: `Redis unreachable at ${url}` };
  }
  const key = `bench-${randomToken(4)}`;
  const store = new RedisStore({ client, commandTimeoutMs: 1000 });
  const limiter = new RateLimiter({ windows: [{ limit: 1e9, windowMs: 60_000 }], store, key, jitterMs: 0 });
  for (let i = 0; i < 200; i++) (await limiter.acquire()).release(); // warm-up (script load, JIT)
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const permit = await limiter.acquire();
    samples.push(performance.now() - t);
    permit.release();
  }
  const totalMs = performance.now() - start;
  await limiter.close();
  await store.close();
  const keys = await client.keys(`corral:{${key}}:*`);
  if (keys.length) await client.del(...keys);
  client.disconnect();
  samples.sort((a, b) => a - b);
  return {
    acquires: N,
    p50Ms: round(percentile(samples, 50), 3),
    p99Ms: round(percentile(samples, 99), 3),
    opsPerSec: Math.round((N / totalMs) * 1000),
  };
}

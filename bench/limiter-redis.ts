/**
 * RedisStore cost: per-acquire latency p50/p99 (sequential, 2,000 acquires, each released) and acquires per second,
 * against REDIS_URL (default redis://127.0.0.1:6379). Keys are removed afterwards.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { randomToken } from '../src/core/random.js';
import { RateLimiter, RedisStore } from '../src/limit/index.js';
import { percentile, ROOT, round, spawnSim } from './util.js';

/**
 * Four processes (the acceptance test's worker) sharing one RedisStore budget against the simulator at 100/1 s:
 * aggregate admitted rate ÷ the limit, and 429s.
 */
async function fourProcesses(url: string): Promise<Record<string, unknown>> {
  const keyId = `PKBENCH${randomToken(6).toUpperCase()}`;
  const sim = await spawnSim([
    '--rate',
    '100/1s',
    '--policy',
    'sliding-window',
    '--key',
    keyId,
    '--secret',
    'bench-secret',
  ]);
  const job = {
    redisUrl: url,
    keyId,
    secretKey: 'bench-secret',
    url: sim.info.trading,
    limit: 100,
    windowMs: 1000,
    requests: 500,
    concurrency: 5,
  };
  const worker = `${ROOT}test/limit/fixtures/redis-worker.mjs`;
  await Promise.all(
    Array.from({ length: 4 }, () =>
      promisify(execFile)(process.execPath, [worker, JSON.stringify(job)], { timeout: 120_000 }),
    ),
  );
  const stats = (await (await fetch(`${sim.info.trading}/_sim/stats`)).json()) as {
    rate_limited: number;
    requests: number;
  };
  const log = (await (await fetch(`${sim.info.trading}/_sim/requests?limit=100000`)).json()) as Array<{ t: number }>;
  await sim.stop();
  const times = log.map((e) => e.t).sort((a, b) => a - b);
  const spanMs = times.at(-1)! - times[0]!;
  // 2,000 requests at 100/s: the first 100 go at once, the rest need 19 more windows
  const minMs = (Math.ceil(times.length / 100) - 1) * 1000;
  return {
    processes: 4,
    requests: stats.requests,
    http429: stats.rate_limited,
    spanMs: Math.round(spanMs),
    ratioToMinimum: round(spanMs / minMs, 3),
    aggregatePerSec: round((times.length / spanMs) * 1000, 1),
  };
}

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
    fourProcesses: await fourProcesses(url),
  };
}

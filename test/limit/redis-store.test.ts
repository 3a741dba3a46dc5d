/**
 * RedisStore against a real Redis (REDIS_URL, default redis://127.0.0.1:6379), and degraded mode against a private
 * redis-server child process that is stopped and restarted mid-test.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/core/random.js';
import {
  hashKey,
  type LimiterEvent,
  RateLimitedError,
  RateLimiter,
  type RateLimiterOptions,
  RedisStore,
  StoreUnavailableError,
} from '../../src/limit/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisUp = await reachable(REDIS_URL);
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!redisUp) console.warn(`[test/limit/redis-store] SKIPPED: Redis unreachable at ${REDIS_URL} (set REDIS_URL)`);
if (!hasRedisServer)
  console.warn('[test/limit/redis-store] degraded-mode test SKIPPED: no redis-server binary on PATH');

/** Unique per run so parallel runs and leftovers never collide. */
const RUN = `test-${randomToken(4)}`;
const opened: Array<{ close(): Promise<void> }> = [];
const admin = redisUp ? new Redis(REDIS_URL) : undefined;

function client(url = REDIS_URL): Redis {
  const c = new Redis(url, { enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1 });
  c.on('error', () => {});
  opened.push({ close: async () => void c.disconnect() });
  return c;
}

function limiter(store: RedisStore, key: string, options: Partial<RateLimiterOptions> = {}): RateLimiter {
  const l = new RateLimiter({
    windows: [{ limit: 5, windowMs: 60_000 }],
    criticalReserve: 0,
    store,
    key,
    jitterMs: 0,
    ...options,
  });
  opened.push(l);
  return l;
}

async function keysOf(key: string, redis = admin!): Promise<string[]> {
  return (await redis.keys(`corral:{${key}}:*`)).sort();
}

afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
  if (admin) {
    const leftovers = await admin.keys(`corral:{${RUN}*`);
    if (leftovers.length) await admin.del(...leftovers);
    admin.disconnect();
  }
});

describe.skipIf(!redisUp)('RedisStore (shared budget)', () => {
  it('two limiters on separate connections share one budget', async () => {
    const key = `${RUN}-shared`;
    const a = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key);
    const b = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key);
    for (const l of [a, b, a, b, a]) (await l.acquire()).release();
    for (const l of [a, b]) {
      const err = await l.acquire({ deadlineMs: 100 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(59_000);
      expect((err as RateLimitedError).source).toBe('local');
    }
    expect(a.snapshot().windows[0]).toMatchObject({ used: 5 });
  });

  it('holds count while in flight; a refund gives the budget back to everyone', async () => {
    const key = `${RUN}-refund`;
    const store = new RedisStore({ client: client(), commandTimeoutMs: 1000 });
    const a = limiter(store, key, { windows: [{ limit: 2, windowMs: 60_000 }] });
    const b = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key, {
      windows: [{ limit: 2, windowMs: 60_000 }],
    });
    const p1 = await a.acquire({ weight: 2 });
    expect(await admin!.zcard(`corral:{${key}}:default:inflight`)).toBe(2); // one member per weight unit
    await expect(b.acquire({ deadlineMs: 50 })).rejects.toBeInstanceOf(RateLimitedError);
    p1.release({ sent: false });
    await new Promise((r) => setTimeout(r, 50)); // the refund is a fire-and-forget round trip
    const p2 = await b.acquire({ deadlineMs: 50 });
    p2.release();
    expect(await admin!.zcard(`corral:{${key}}:default:released`)).toBe(1);
  });

  it('a waiter sleeps the computed wait and is admitted when the window frees', async () => {
    const key = `${RUN}-wait`;
    const a = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key, {
      windows: [{ limit: 2, windowMs: 300 }],
      jitterMs: 5,
    });
    (await a.acquire()).release();
    (await a.acquire()).release();
    const p = await a.acquire({ deadlineMs: 5000 });
    expect(p.waitedMs).toBeGreaterThan(0);
    p.release();
  });

  it('never-released holds are released by Redis after maxHoldMs', async () => {
    const key = `${RUN}-hold`;
    const a = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key, {
      windows: [{ limit: 1, windowMs: 100 }],
      maxHoldMs: 200,
    });
    await a.acquire(); // never released
    const p = await a.acquire({ deadlineMs: 5000 }); // in at ~300 ms: 200 hold + 100 window
    expect(p.waitedMs).toBeGreaterThan(0);
  });

  it('a 429 seen by one process blocks every process sharing the store', async () => {
    const key = `${RUN}-block`;
    const a = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key);
    const b = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key);
    a.observe(429, { 'Retry-After': '30' });
    await new Promise((r) => setTimeout(r, 50));
    const err = await b.acquire({ lane: 'critical', deadlineMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ source: 'server' });
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(29_000);
    expect(b.snapshot().blockedForMs).toBeGreaterThan(29_000);
  });

  it('keys: one hash tag per account, a TTL on every key, never the secret', async () => {
    const secretKeyId = 'PKTESTSECRET9F3A';
    const key = `${RUN}-${hashKey(secretKeyId)}`;
    const a = limiter(new RedisStore({ client: client(), commandTimeoutMs: 1000 }), key, {
      windows: 'trading',
      maxHoldMs: 30_000,
    });
    const held = await a.acquire();
    (await a.acquire()).release();
    a.observe(429, { 'Retry-After': '2' });
    await new Promise((r) => setTimeout(r, 50));
    const keys = await keysOf(key);
    expect(keys).toEqual([
      `corral:{${key}}:trading:block`,
      `corral:{${key}}:trading:inflight`,
      `corral:{${key}}:trading:released`,
    ]);
    for (const k of keys) {
      expect(k).not.toContain(secretKeyId);
      const ttl = await admin!.pttl(k);
      expect(ttl, k).toBeGreaterThan(0);
      expect(ttl, k).toBeLessThanOrEqual(60_000 + 30_000);
    }
    held.release();
  });
});

// ---- degraded mode: a private redis-server we can stop and restart -----------------------------------------------

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited early (${code}): ${out.slice(-500)}`)));
  });
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !(await check()); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!hasRedisServer)('RedisStore degraded mode (private redis-server)', () => {
  it('falls back locally while Redis is down, recovers by itself and writes local admissions back', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let server = await startRedis(port);
    opened.push({ close: () => stopRedis(server) });
    const key = `${RUN}-degraded`;
    const storeOptions = { url, commandTimeoutMs: 1000, recoverAfterMs: 100, fallbackShare: 0.5 };
    const store = new RedisStore(storeOptions);
    const closedStore = new RedisStore({ ...storeOptions, onUnavailable: 'fail-closed' });
    opened.push(store, closedStore);
    const l = limiter(store, key, { windows: [{ limit: 10, windowMs: 60_000 }] });
    const strict = limiter(closedStore, `${key}-strict`);
    const events: LimiterEvent[] = [];
    l.onEvent((e) => {
      if (e.type === 'degraded') events.push(e);
    });

    (await l.acquire()).release();
    (await strict.acquire()).release();
    const heldAcrossOutage = await l.acquire();
    expect(l.snapshot().degraded).toBe(false);

    await stopRedis(server);
    await until('the client to notice', () => (store.client as Redis).status !== 'ready');

    // Local fallback: floor(10 × 0.5) = 5 admissions in this process, then the window is full.
    for (let i = 0; i < 5; i++) (await l.acquire({ deadlineMs: 100 })).release();
    await expect(l.acquire({ deadlineMs: 100 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(events[0]).toMatchObject({ type: 'degraded', degraded: true });
    expect(l.snapshot()).toMatchObject({ degraded: true, store: 'redis', windows: [{ used: 5, remaining: 0 }] });
    expect(l.snapshot().degradedReason).toBeTruthy();
    heldAcrossOutage.release(); // cannot reach Redis: remembered and replayed
    // Fail-closed rejects instead.
    const err = await strict.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err).toMatchObject({ code: 'CORRAL_STORE_UNAVAILABLE' });

    server = await startRedis(port); // same port, empty (no persistence)
    await until('recovery', () => events.some((e) => e.type === 'degraded' && !e.degraded));
    expect(l.snapshot().degraded).toBe(false);

    // The fresh server now holds the 5 local admissions of the still-open window.
    const fresh = client(url);
    await until('fresh connection', () => fresh.status === 'ready');
    expect(await fresh.zcard(`corral:{${key}}:default:released`)).toBe(5);
    for (let i = 0; i < 5; i++) (await l.acquire({ deadlineMs: 100 })).release();
    await expect(l.acquire({ deadlineMs: 100 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(await fresh.zcard(`corral:{${key}}:default:released`)).toBe(10);
    for (const k of await keysOf(key, fresh)) expect(await fresh.pttl(k)).toBeGreaterThan(0);
  });
});

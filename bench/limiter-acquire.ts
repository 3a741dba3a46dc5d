/**
 * Uncontended acquire + release throughput: corral's RateLimiter (MemoryStore) against the official SDK 4.x token
 * bucket and bottleneck 2.19.5, sequentially (await each) and 10k at once (Promise.all, then release all), plus
 * per-request latency (p50/p99) through corral's acquire and bottleneck's schedule. Median of several rounds.
 */
import { RateLimiter as SdkRateLimiter } from '@alpacahq/alpaca-trade-api';
import Bottleneck from 'bottleneck';
import { type Permit, RateLimiter } from '../src/limit/index.js';
import { median, percentile, round } from './util.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEQ_MS = Number(process.env.BENCH_SEQ_MS ?? 300);
const CONCURRENT = 10_000;
const LATENCY_SAMPLES = 5000;

/** One acquire + release, as each peer spells it. */
interface Peer {
  name: string;
  /** Bottleneck yields the event loop (setTimeout 0) several times per job: one round, fewer samples. */
  slow?: boolean;
  /** A fresh limiter per round; `op` acquires and releases once. */
  make(): {
    op: () => void | Promise<void>;
    acquireAll: (n: number) => Promise<() => void>;
    close?: () => Promise<void>;
  };
}

const peers: Peer[] = [
  {
    // The synchronous fast path: `tryAcquire() ?? await acquire()` — no promise when budget is available.
    name: 'corral-fast-path',
    make() {
      const l = new RateLimiter({ windows: [{ limit: 1e9, windowMs: 60_000 }] });
      return {
        op: () => {
          const p = l.tryAcquire();
          if (!p) return l.acquire().then((x) => x.release());
          p.release();
          return undefined;
        },
        acquireAll: async (n) => {
          const permits: Permit[] = [];
          for (let i = 0; i < n; i++) permits.push(l.tryAcquire() ?? (await l.acquire()));
          return () => {
            for (const p of permits) p.release();
          };
        },
        close: () => l.close(),
      };
    },
  },
  {
    name: 'corral',
    make() {
      const l = new RateLimiter({ windows: [{ limit: 1e9, windowMs: 60_000 }] });
      return {
        op: async () => (await l.acquire()).release(),
        acquireAll: async (n) => {
          const permits = await Promise.all(Array.from({ length: n }, () => l.acquire()));
          return () => {
            for (const p of permits) p.release();
          };
        },
        close: () => l.close(),
      };
    },
  },
  {
    name: 'alpaca-sdk-4',
    make() {
      const l = new SdkRateLimiter({ maxRequests: 1e9, intervalMs: 60_000 });
      return {
        op: async () => (await l.acquire())(),
        acquireAll: async (n) => {
          const releases = await Promise.all(Array.from({ length: n }, () => l.acquire()));
          return () => {
            for (const r of releases) r();
          };
        },
      };
    },
  },
  {
    name: 'bottleneck',
    slow: true,
    make() {
      const l = new Bottleneck({ reservoir: 1e9, maxConcurrent: null });
      const noop = () => Promise.resolve();
      return {
        op: () => l.schedule(noop),
        // Bottleneck has no permit to hold: a job that waits for the release is its equivalent.
        acquireAll: async (n) => {
          let release!: () => void;
          const gate = new Promise<void>((r) => {
            release = r;
          });
          let started = 0;
          const allStarted = new Promise<void>((resolve) => {
            for (let i = 0; i < n; i++) {
              void l.schedule(() => {
                if (++started === n) resolve();
                return gate;
              });
            }
          });
          await allStarted;
          return release;
        },
        close: () => l.stop({ dropWaitingJobs: true }),
      };
    },
  },
];

/** Awaits only what is a promise: a synchronous fast path is not charged a microtask it does not need. */
async function call(op: () => void | Promise<void>): Promise<void> {
  const r = op();
  if (r) await r;
}

async function sequentialOpsPerSec(op: () => void | Promise<void>, warmUp: number): Promise<number> {
  for (let i = 0; i < warmUp; i++) await call(op);
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < SEQ_MS) {
    for (let i = 0; i < 500; i++) {
      const r = op();
      if (r) await r;
    }
    ops += 500;
    elapsed = performance.now() - start;
  }
  return (ops / elapsed) * 1000;
}

async function concurrentOpsPerSec(acquireAll: (n: number) => Promise<() => void>): Promise<number> {
  const start = performance.now();
  const releaseAll = await acquireAll(CONCURRENT);
  releaseAll();
  return (CONCURRENT / (performance.now() - start)) * 1000;
}

async function latencies(op: () => void | Promise<void>, n: number): Promise<{ p50Us: number; p99Us: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(op);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50Us: round(percentile(samples, 50) * 1000, 1), p99Us: round(percentile(samples, 99) * 1000, 1) };
}

export async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { rounds: ROUNDS, concurrent: CONCURRENT };
  for (const peer of peers) {
    const seq: number[] = [];
    const conc: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const a = peer.make();
      seq.push(await sequentialOpsPerSec(a.op, peer.slow ? 50 : 1000));
      await a.close?.();
      if (peer.slow && r > 0) continue; // one 10k round is ~25 s for bottleneck
      const b = peer.make();
      conc.push(await concurrentOpsPerSec(b.acquireAll));
      await b.close?.();
    }
    const row: Record<string, unknown> = {
      sequentialOpsPerSec: Math.round(median(seq)),
      concurrent10kOpsPerSec: Math.round(median(conc)),
      concurrentRounds: conc.length,
    };
    if (peer.name !== 'alpaca-sdk-4') {
      const c = peer.make();
      const n = peer.slow ? LATENCY_SAMPLES / 10 : LATENCY_SAMPLES;
      row.latency = { samples: n, ...(await latencies(c.op, n)) };
      await c.close?.();
    }
    out[peer.name] = row;
  }
  return out;
}

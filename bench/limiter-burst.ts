/**
 * The 2,000-request burst: 20 concurrent callers against the simulator's 100/1 s limit (fixed and sliding window),
 * through corral's limiter, the seed's sliding log and the official SDK's token bucket, each configured to the
 * server's budget. Reported: wall time ÷ the minimum the server's policy allows, and 429s. On a 429 the peers without
 * server feedback wait until X-RateLimit-Reset (a well-behaved client); corral's limiter handles it itself.
 * Every burst starts just after a window boundary, so the fixed-window minimum equals the sliding one (19 windows).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiter as SdkRateLimiter } from '@alpacahq/alpaca-trade-api';
import { Pool } from 'undici';
import { RateLimiter } from '../src/limit/index.js';
import { SeedSlidingLog } from './seed-limiter.js';
import { round, spawnSim } from './util.js';

const N = Number(process.env.BURST_REQUESTS ?? 2000);
const CALLERS = 20;
const LIMIT = 100;
const WINDOW_MS = 1000;

interface Gate {
  /** Resolves when a request may go; returns a function to call with the response. */
  before(): Promise<(status: number, headers: Record<string, string | string[] | undefined>) => void>;
  /** Whether the caller must itself wait for Reset after a 429. */
  selfWait: boolean;
}

/** corral's limiter with server feedback: observe every response, release when it arrived. */
function corralGate(criticalReserve?: number): Gate {
  const l = new RateLimiter({
    windows: [{ limit: LIMIT, windowMs: WINDOW_MS }],
    criticalReserve,
    deadlineMs: { default: 600_000 },
  });
  return {
    selfWait: false,
    before: async () => {
      const p = await l.acquire();
      return (status, headers) => {
        l.observe(status, headers, p);
        p.release();
      };
    },
  };
}

const gates: Record<string, () => Gate> = {
  corral: () => corralGate(0),
  'corral (default 10 % critical reserve)': () => corralGate(),
  'seed sliding log': () => {
    const l = new SeedSlidingLog(LIMIT, LIMIT, WINDOW_MS);
    return {
      selfWait: true,
      before: async () => {
        await l.waitIfNeeded();
        return () => {};
      },
    };
  },
  'alpaca-sdk-4 token bucket': () => {
    const l = new SdkRateLimiter({ maxRequests: LIMIT, intervalMs: WINDOW_MS });
    return {
      selfWait: true,
      before: async () => {
        const release = await l.acquire();
        return () => release();
      },
    };
  },
};

async function burst(name: string, policy: string) {
  const sim = await spawnSim(['--rate', `${LIMIT}/1s`, '--policy', policy]);
  const pool = new Pool(sim.info.trading, { connections: CALLERS });
  const headers = { 'APCA-API-KEY-ID': sim.info.keyId, 'APCA-API-SECRET-KEY': sim.info.secretKey };
  const gate = gates[name]!();
  // start just after a server window boundary (the simulator's windows are aligned to the epoch)
  await sleep(WINDOW_MS - (Date.now() % WINDOW_MS) + 2);
  let left = N;
  let n429 = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (left > 0) {
        left--;
        for (;;) {
          const done = await gate.before();
          const res = await pool.request({ method: 'GET', path: '/v2/account', headers });
          await res.body.dump();
          done(res.statusCode, res.headers);
          if (res.statusCode === 200) break;
          n429++;
          if (gate.selfWait) await sleep(Math.max(0, Number(res.headers['x-ratelimit-reset']) * 1000 - Date.now()));
        }
      }
    }),
  );
  const log = (await (await fetch(`${sim.info.trading}/_sim/requests?limit=100000`)).json()) as Array<{
    t: number;
    status: number;
  }>;
  await pool.close();
  await sim.stop();
  const ok = log.filter((e) => e.status === 200).map((e) => e.t);
  const first = Math.min(...log.map((e) => e.t));
  const wallMs = Math.max(...ok) - first;
  const minMs = (Math.ceil(N / LIMIT) - 1) * WINDOW_MS - (policy === 'fixed-window' ? first % WINDOW_MS : 0);
  return { wallMs: Math.round(wallMs), minMs: Math.round(minMs), ratio: round(wallMs / minMs, 3), http429: n429 };
}

export async function run(): Promise<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const policy of ['fixed-window', 'sliding-window']) {
    for (const name of Object.keys(gates)) rows.push({ limiter: name, policy, ...(await burst(name, policy)) });
  }
  return { requests: N, callers: CALLERS, limit: `${LIMIT}/${WINDOW_MS}ms`, rows };
}

/**
 * GET /v2/account latency, one request at a time against the simulator in another process: corral's full client
 * (limiter, breaker, retry policy, undici pool) vs raw undici `Pool.request` (the floor; goal ≤ 1.15×) vs the official
 * SDK 4.x (its limiter off so it is not the one waiting; pointed at the simulator through `fetchApi`).
 */
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { Pool } from 'undici';
import { createClient } from '../src/alpaca/index.js';
import { percentile, round, spawnSim } from './util.js';

const N = Number(process.env.LATENCY_REQUESTS ?? 4000);
const ROUNDS = 3;

async function measure(op: () => Promise<unknown>): Promise<{ p50Ms: number; p99Ms: number; reqPerSec: number }> {
  for (let i = 0; i < 300; i++) await op(); // warm-up: JIT, keep-alive connections
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await op();
    samples.push(performance.now() - t);
  }
  const total = performance.now() - start;
  samples.sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(samples, 50), 4),
    p99Ms: round(percentile(samples, 99), 4),
    reqPerSec: Math.round((N / total) * 1000),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const sim = await spawnSim(['--rate', 'off']);
  const { trading, keyId, secretKey } = sim.info;
  const headers = { 'APCA-API-KEY-ID': keyId, 'APCA-API-SECRET-KEY': secretKey };
  const pool = new Pool(trading, { connections: 10 });
  const corral = createClient({
    keyId,
    secretKey,
    tradingUrl: trading,
    dataUrl: trading,
    env: {},
    rateLimit: { trading: { windows: [{ limit: 1e9, windowMs: 60_000 }] } },
  });
  const toSim = (input: string | URL | Request, init?: RequestInit) => {
    const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return fetch(`${trading}${u.pathname}${u.search}`, init);
  };
  const sdk = new Alpaca({ keyId, secret: secretKey, fetchApi: toSim as never, rateLimit: false });
  const peers: Record<string, () => Promise<unknown>> = {
    'raw undici': async () => (await pool.request({ method: 'GET', path: '/v2/account', headers })).body.json(),
    corral: () => corral.trading.getAccount(),
    'alpaca-sdk-4': () => sdk.trading.account.getAccount(),
  };
  const results: Record<string, Array<{ p50Ms: number; p99Ms: number; reqPerSec: number }>> = {};
  // Interleave rounds so drift (thermal, noise) hits every peer alike; report each peer's median round.
  for (const name of Object.keys(peers)) results[name] = [];
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, op] of Object.entries(peers)) results[name]!.push(await measure(op));
  await corral.close();
  await pool.close();
  await sim.stop();
  const med = (xs: Array<{ p50Ms: number; p99Ms: number; reqPerSec: number }>) =>
    [...xs].sort((a, b) => a.p50Ms - b.p50Ms)[Math.floor(xs.length / 2)]!;
  const rows = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, med(v)]));
  const raw = rows['raw undici']!;
  return {
    requests: N,
    rounds: ROUNDS,
    rows,
    corralVsRaw: { p50: round(rows.corral!.p50Ms / raw.p50Ms, 3), p99: round(rows.corral!.p99Ms / raw.p99Ms, 3) },
    sdkVsRaw: {
      p50: round(rows['alpaca-sdk-4']!.p50Ms / raw.p50Ms, 3),
      p99: round(rows['alpaca-sdk-4']!.p99Ms / raw.p99Ms, 3),
    },
  };
}

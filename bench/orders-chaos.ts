/**
 * The 1,000-submit chaos run: 20 % of POST /v2/orders connections are reset after the simulator committed the
 * order. Counted from the simulator's side: orders created, duplicates, and outcomes the caller could not know.
 * Peers: corral (exactly-once submit), the official SDK 4.x as shipped (no POST retry: the caller gets an error for
 * an order that exists), and the SDK with the retry-on-error loop bots commonly add (without a client_order_id).
 */
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { createClient, OrderStateUnknownError } from '../src/alpaca/index.js';
import { round, spawnSim } from './util.js';

const N = Number(process.env.CHAOS_SUBMITS ?? 1000);
const CONCURRENCY = 20;
const order = {
  symbol: 'AAPL',
  qty: '1',
  side: 'buy',
  type: 'limit',
  limit_price: '1.00',
  time_in_force: 'gtc',
} as const;

interface Tally {
  ok: number;
  errors: number;
  unknown: number;
}

async function runPeer(name: string): Promise<Record<string, unknown>> {
  const sim = await spawnSim(['--rate', 'off', '--seed', '5', '--faults', 'POST /v2/orders=reset-after@0.2']);
  const { trading, keyId, secretKey } = sim.info;
  const tally: Tally = { ok: 0, errors: 0, unknown: 0 };
  let submit: (i: number) => Promise<void>;
  let close = async () => {};
  if (name === 'corral') {
    const c = createClient({
      keyId,
      secretKey,
      tradingUrl: trading,
      dataUrl: trading,
      env: {},
      rateLimit: { trading: { windows: [{ limit: 1e6, windowMs: 60_000 }] } },
      // 5 consecutive failures happen by chance at a 20 % failure rate; this run measures exactly-once, not the breaker
      breaker: { consecutiveFailures: 1000, failureRatio: 1 },
    });
    submit = async (i) => {
      try {
        await c.trading.submitOrder({ ...order, client_order_id: `chaos-${i}` });
        tally.ok++;
      } catch (err) {
        tally.errors++;
        if (err instanceof OrderStateUnknownError) tally.unknown++;
      }
    };
    close = () => c.close();
  } else {
    const toSim = (input: string | URL | Request, init?: RequestInit) => {
      const u = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return fetch(`${trading}${u.pathname}${u.search}`, init);
    };
    const sdk = new Alpaca({ keyId, secret: secretKey, fetchApi: toSim as never, rateLimit: false });
    const req = {
      symbol: order.symbol,
      qty: order.qty,
      side: order.side,
      type: order.type,
      limitPrice: order.limit_price,
      timeInForce: order.time_in_force,
    };
    const naive = name.includes('retry');
    submit = async (i) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await sdk.trading.orders.postOrder({
            postOrderRequest: naive ? req : { ...req, clientOrderId: `chaos-${i}` },
          });
          tally.ok++;
          return;
        } catch {
          if (!naive || attempt >= 3) {
            tally.errors++;
            tally.unknown++; // the SDK cannot tell whether the order exists
            return;
          }
        }
      }
    };
  }
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await submit(next++);
    }),
  );
  const wallMs = performance.now() - start;
  await close();
  const stats = (await (await fetch(`${trading}/_sim/stats`)).json()) as {
    orders: { submitted: number; duplicate_rejected: number };
    by_route: Record<string, Record<string, number>>;
  };
  await sim.stop();
  return {
    peer: name,
    submits: N,
    ordersCreated: stats.orders.submitted,
    duplicates: Math.max(0, stats.orders.submitted - N),
    missing: Math.max(0, N - stats.orders.submitted),
    callerErrors: tally.errors,
    unknownOutcomes: tally.unknown,
    resetsInjected: stats.by_route['POST /v2/orders']?.['reset-after'] ?? 0,
    duplicateRejectedByServer: stats.orders.duplicate_rejected,
    wallMs: Math.round(wallMs),
    submitsPerSec: round((N / wallMs) * 1000, 1),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const rows = [];
  for (const name of ['corral', 'alpaca-sdk-4', 'alpaca-sdk-4 + retry on error']) rows.push(await runPeer(name));
  return { faults: 'POST /v2/orders=reset-after@0.2', concurrency: CONCURRENCY, rows };
}

/** A simulator plus a corral client pointed at it, both real, over loopback sockets. */
import { afterEach } from 'vitest';
import { type Client, type ClientOptions, createClient } from '../../src/alpaca/index.js';
import { SeededRandom } from '../../src/core/random.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.js';

export const MARKET_START = '2024-07-23T14:00:00Z'; // a Tuesday, 10:00 New York
const open: Array<{ sim: Simulator; client: Client }> = [];

afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    await client.close();
    await sim.close();
  }
});

/** Fast defaults: no server budget unless asked, short breaker/retry timings, seeded jitter. */
export async function pair(simOptions: SimulatorOptions = {}, clientOptions: Partial<ClientOptions> = {}) {
  const sim = await startSimulator({ marketStart: MARKET_START, rate: false, fillLatencyMs: 5, ...simOptions });
  const info = sim.readyInfo();
  const client = createClient({
    keyId: info.keyId,
    secretKey: info.secretKey,
    tradingUrl: info.trading,
    dataUrl: info.data,
    env: {},
    random: new SeededRandom(42),
    rateLimit: {
      trading: { windows: [{ limit: 100_000, windowMs: 60_000 }] },
      data: { windows: [{ limit: 100_000, windowMs: 60_000 }] },
    },
    ...clientOptions,
  });
  open.push({ sim, client });
  return { sim, client };
}

export function routeCount(sim: Simulator, route: string): Record<string, number> {
  return sim.stats().by_route[route] ?? {};
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

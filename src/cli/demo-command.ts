import type { Command } from 'commander';
import { request } from 'undici';
import { startSimulator } from '../sim/server.js';

/**
 * `corral demo`: starts the embedded simulator and runs a short scripted client against it.
 * (The full demo — corral's client under rate limits and faults — replaces this script once the client lands.)
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run a short scripted bot against the embedded simulator')
    .option('--seed <n>', 'simulator seed', '1')
    .action(async (flags: { seed: string }) => {
      const sim = await startSimulator({ seed: Number(flags.seed) });
      const { keyId, secretKey } = sim.readyInfo();
      const headers = {
        'APCA-API-KEY-ID': keyId,
        'APCA-API-SECRET-KEY': secretKey,
        'content-type': 'application/json',
      };
      const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
        const r = await request(`${sim.url}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: r.statusCode, body: (await r.body.json()) as Record<string, unknown> };
      };
      const out = (s: string) => process.stdout.write(`${s}\n`);
      try {
        out(`simulator at ${sim.url}`);
        const acct = await call('GET', '/v2/account');
        out(`account ${acct.body.account_number}: cash ${acct.body.cash}, buying power ${acct.body.buying_power}`);
        const order = await call('POST', '/v2/orders', {
          symbol: 'AAPL',
          qty: '5',
          side: 'buy',
          type: 'market',
          time_in_force: 'day',
        });
        out(`submitted ${order.body.client_order_id}: ${order.status} ${order.body.status}`);
        const dup = await call('POST', '/v2/orders', {
          symbol: 'AAPL',
          qty: '5',
          side: 'buy',
          type: 'market',
          time_in_force: 'day',
          client_order_id: order.body.client_order_id,
        });
        out(`resubmitting the same client_order_id: ${dup.status} ${dup.body.message}`);
        const bars = await call('GET', '/v2/stocks/AAPL/bars?timeframe=1Min&limit=5');
        out(`latest bars: ${JSON.stringify(bars.body.bars)}`);
        const stats = await (await request(`${sim.url}/_sim/stats`)).body.json();
        out(`simulator stats: ${JSON.stringify(stats)}`);
      } finally {
        await sim.close();
      }
    });
}

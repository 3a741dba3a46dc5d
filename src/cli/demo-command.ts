import type { Command } from 'commander';
import { createClient } from '../alpaca/client.js';
import type { ClientEvent } from '../alpaca/events.js';
import { systemClock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import { startSimulator } from '../sim/server.js';

const out = (s = '') => process.stdout.write(`${s}\n`);

/**
 * `corral demo`: the embedded simulator with a tight rate limit and injected faults, and a short bot on corral's
 * client: a burst of reads (no 429s), orders under connection resets (exactly once), paginated history.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run a short bot on corral against the embedded simulator (rate limits and faults on)')
    .option('--seed <n>', 'simulator seed', '7')
    .action(async (flags: { seed: string }) => {
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed)) throw new ConfigError('--seed', `expected an integer, got "${flags.seed}"`);
      const sim = await startSimulator({
        seed,
        rate: '40/1s',
        policy: 'sliding-window',
        marketStart: '2024-07-23T14:00:00Z',
        faults: 'POST /v2/orders=reset-after@0.3;GET /v2/account=503@0.1',
      });
      const info = sim.readyInfo();
      const client = createClient({
        keyId: info.keyId,
        secretKey: info.secretKey,
        tradingUrl: info.trading,
        dataUrl: info.data,
        env: {},
        rateLimit: { trading: { windows: [{ limit: 40, windowMs: 1000 }] } },
      });
      const counts: Record<string, number> = {};
      client.onEvent((e: ClientEvent) => {
        const k = e.type === 'order' ? `order:${e.step}` : e.type === 'limiter' ? `limiter:${e.event.type}` : e.type;
        counts[k] = (counts[k] ?? 0) + 1;
      });
      const clock = systemClock;
      try {
        out(
          `corral demo: simulator at ${sim.url} (40 requests/s per key, sliding window; 30 % of order submits reset after commit; 10 % of account reads 503)`,
        );
        const acct = await client.trading.getAccount();
        out(`\n1. account ${acct.account_number}: cash $${acct.cash}, buying power $${acct.buying_power}`);

        let t = clock.now();
        let left = 160;
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (left-- > 0) await client.trading.getAccount();
          }),
        );
        const s1 = sim.stats();
        out(
          `2. 160 account reads from 16 concurrent callers in ${((clock.now() - t) / 1000).toFixed(1)} s: ` +
            `${s1.rate_limited} answered 429 by the server, ${counts.retry ?? 0} transient 503s retried with jitter`,
        );

        t = clock.now();
        const orders = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            client.trading.submitOrder({
              symbol: i % 2 ? 'MSFT' : 'AAPL',
              qty: 1,
              side: 'buy',
              type: 'limit',
              limit_price: '1.00',
              time_in_force: 'gtc',
            }),
          ),
        );
        const s2 = sim.stats();
        const resets = s2.by_route['POST /v2/orders']?.['reset-after'] ?? 0;
        out(
          `3. 25 limit orders in ${((clock.now() - t) / 1000).toFixed(1)} s: ${resets} connections reset after the server committed; ` +
            `corral looked them up by client_order_id (${counts['order:reconciled-found'] ?? 0} found) — the simulator holds ` +
            `${s2.orders.submitted} orders, ${orders.length} confirmed to the bot, 0 duplicates`,
        );
        await client.trading.cancelAllOrders();

        t = clock.now();
        let bars = 0;
        let pages = 0;
        for await (const _ of client.data.bars(
          {
            symbols: ['AAPL', 'MSFT', 'SPY'],
            timeframe: '5Min',
            start: '2024-07-15T13:30:00Z',
            end: '2024-07-19T20:00:00Z',
            limit: 200,
          },
          { onProgress: (p) => (pages = p.pages) },
        ))
          bars++;
        out(
          `4. ${bars} five-minute bars of AAPL, MSFT, SPY for a week: ${pages} pages, at most one prefetched, each through the data budget`,
        );

        const s = sim.stats();
        out(
          `\nsimulator saw ${s.requests} requests, ${s.rate_limited} rate-limited, ${s.faults_fired} faults injected; ` +
            `the bot saw no error. Run 'corral sim' to point your own bot (or Alpaca's SDKs) at it.`,
        );
      } finally {
        await client.close();
        await sim.close();
      }
    });
}

import { describe, expect, it } from 'vitest';
import type { ClientEvent } from '../../src/alpaca/index.js';
import { pair, routeCount } from './setup.js';

const day = { start: '2024-07-22T08:00:00Z', end: '2024-07-23T00:00:00Z' };

describe('pagination', () => {
  it('walks every page of a multi-symbol query with at most one page prefetched, each through the limiter', async () => {
    const { sim, client } = await pair();
    let fetched = 0;
    let admitted = 0;
    client.onEvent((e: ClientEvent) => {
      if (e.type === 'request' && e.route === '/v2/stocks/bars') fetched++;
      if (e.type === 'limiter' && e.budget === 'data' && e.event.type === 'admitted') admitted++;
    });
    const progress: number[] = [];
    let maxAhead = 0;
    const seen: string[] = [];
    for await (const bar of client.data.bars(
      { symbols: ['AAPL', 'MSFT'], timeframe: '1Min', ...day, limit: 50 },
      { onProgress: (p) => progress.push(p.pages) },
    )) {
      maxAhead = Math.max(maxAhead, fetched - progress.length);
      seen.push(`${bar.symbol}@${bar.t}`);
      if (seen.length % 50 === 0) await new Promise((r) => setTimeout(r, 1)); // a slow consumer
    }
    expect(progress.length).toBeGreaterThan(20);
    expect(maxAhead).toBeLessThanOrEqual(1);
    expect(fetched).toBe(progress.length);
    expect(admitted).toBe(fetched);
    expect(new Set(seen).size).toBe(seen.length);
    const walked = fetched;
    // the same data in one page
    const one = await client.data.barsPage({ symbols: ['AAPL', 'MSFT'], timeframe: '1Min', ...day, limit: 10_000 });
    expect(seen).toEqual([...one.bars.AAPL!.map((b) => `AAPL@${b.t}`), ...one.bars.MSFT!.map((b) => `MSFT@${b.t}`)]);
    expect(routeCount(sim, 'GET /v2/stocks/bars')['200']).toBe(walked + 1);
  });

  it('stops fetching when the consumer stops, and single-symbol iteration works the same way', async () => {
    const { sim, client } = await pair();
    let n = 0;
    for await (const _ of client.data.symbolBars('AAPL', { timeframe: '1Min', ...day, limit: 10 })) {
      if (++n === 25) break;
    }
    await new Promise((r) => setTimeout(r, 20));
    const pages = routeCount(sim, 'GET /v2/stocks/{symbol}/bars')['200'] ?? 0;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(4); // three consumed, at most one prefetched
  });

  it('honours an abort signal mid-iteration', async () => {
    const { client } = await pair();
    const ctl = new AbortController();
    const it = client.data.trades({ symbols: ['AAPL'], ...day, limit: 100 }, { signal: ctl.signal });
    await it.next();
    ctl.abort(new Error('stop'));
    await expect(
      (async () => {
        for await (const _ of it);
      })(),
    ).rejects.toThrow('stop');
  });
});

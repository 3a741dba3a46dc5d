import { describe, expect, it } from 'vitest';
import { MAX_DAYS_PER_PAGE } from '../../../src/sim/market/index.js';
import { type Bar, setup, walkPages } from './helpers.js';

const { ok, get } = setup('2024-07-27T15:00:00Z');
const tOf = (it: unknown) => (it as { t: string }).t;

/** Everything in one request (the data fits in a page of 10,000). */
function onePage(path: string, kind: 'bars' | 'trades' | 'quotes') {
  const r = walkPages(ok, `${path}&limit=10000`, kind);
  expect(r.pages).toBe(1);
  return r.items;
}

describe('walking pages yields every item exactly once, in order', () => {
  const cases: Array<[string, 'bars' | 'trades' | 'quotes', number[]]> = [
    [
      '/v2/stocks/bars?symbols=MSFT,AAPL,SPY&timeframe=1Min&start=2024-07-22T13:00:00Z&end=2024-07-22T15:00:00Z',
      'bars',
      [1, 7, 100, 359, 360, 361],
    ],
    ['/v2/stocks/bars?symbols=MSFT,AAPL&timeframe=1Hour&start=2024-07-15&end=2024-07-26', 'bars', [1, 5, 64, 1000]],
    [
      '/v2/stocks/bars?symbols=NVDA,AMD,F&timeframe=1Day&start=2024-01-01&end=2024-07-26',
      'bars',
      [1, 13, 141, 142, 143],
    ],
    ['/v2/stocks/trades?symbols=TSLA,F&start=2024-07-22T13:30:00Z&end=2024-07-22T13:40:00Z', 'trades', [1, 9, 250]],
    ['/v2/stocks/quotes?symbols=KO,DIS&start=2024-07-22T13:30:00Z&end=2024-07-22T13:35:00Z', 'quotes', [1, 33, 400]],
    ['/v2/stocks/AAPL/trades?start=2024-07-22T19:58:00Z&end=2024-07-22T20:02:00.5Z', 'trades', [1, 2, 77]],
  ];
  for (const [path, kind, limits] of cases) {
    for (const sort of ['asc', 'desc'] as const) {
      it(`${path.split('?')[0]} ${path.match(/timeframe=(\w+)/)?.[1] ?? kind} ${sort}`, () => {
        const all = onePage(`${path}&sort=${sort}`, kind);
        expect(all.length).toBeGreaterThan(20);
        // Sorted by symbol first, then by time in the sort direction.
        const symbols = all.map(([s]) => s);
        expect(symbols).toEqual([...symbols].sort());
        for (let i = 1; i < all.length; i++) {
          if (all[i]![0] !== all[i - 1]![0]) continue;
          const [a, b] = [tOf(all[i - 1]![1]), tOf(all[i]![1])];
          expect(sort === 'asc' ? a < b : a > b, `${a} ${b}`).toBe(true);
        }
        for (const limit of limits) {
          const walked = walkPages(ok, `${path}&sort=${sort}&limit=${limit}`, kind);
          expect(walked.items).toEqual(all);
          expect(walked.pages).toBe(Math.max(1, Math.ceil(all.length / limit)));
        }
      });
    }
  }

  it('desc is asc reversed within each symbol', () => {
    const path = '/v2/stocks/bars?symbols=V,MA&timeframe=15Min&start=2024-07-22&end=2024-07-24';
    const asc = onePage(`${path}&sort=asc`, 'bars');
    const desc = onePage(`${path}&sort=desc`, 'bars');
    for (const s of ['MA', 'V']) {
      const a = asc.filter(([x]) => x === s).map(([, b]) => b);
      expect(desc.filter(([x]) => x === s).map(([, b]) => b)).toEqual(a.reverse());
    }
  });

  it('shows a symbol once per page and only symbols with data', () => {
    const body = ok<{ bars: Record<string, Bar[]>; next_page_token: string | null }>(
      '/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=2024-07-22T13:00:00Z&end=2024-07-22T15:00:00Z&limit=100',
    );
    expect(Object.keys(body.bars)).toEqual(['AAPL']);
    expect(body.bars.AAPL).toHaveLength(100);
    expect(typeof body.next_page_token).toBe('string');
    expect(ok('/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=2024-07-20&end=2024-07-21')).toEqual({
      bars: {},
      next_page_token: null,
    });
  });
});

describe('page tokens', () => {
  const base = '/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=2024-07-22T13:00:00Z&end=2024-07-22T15:00:00Z';
  const token = ok(`${base}&limit=50`).next_page_token as string;

  it('are opaque base64 strings bound to the query (but not to limit)', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(get(`${base}&limit=7&page_token=${token}`).status).toBe(200);
    const other = [
      base.replace('1Min', '2Min'),
      base.replace('AAPL,MSFT', 'AAPL,SPY'),
      base.replace('13:00:00Z', '13:01:00Z'),
      `${base}&sort=desc`,
      `${base}&feed=iex`,
      base.replace('/v2/stocks/bars', '/v2/stocks/trades'),
    ];
    for (const path of other) {
      const r = get(`${path}&page_token=${token}`);
      expect(r.status, path).toBe(400);
      expect(r.body).toEqual({ code: 40010001, message: 'invalid page token' });
    }
  });

  it('reject garbage', () => {
    const junk = [
      '%%%',
      'abc',
      '!!!!!!!!!!',
      Buffer.from('1:00000000:0:0:0').toString('base64'),
      Buffer.from('hello world').toString('base64'),
    ];
    for (const t of junk) expect(get(`${base}&page_token=${encodeURIComponent(t)}`).status, t).toBe(400);
    // Standard base64 (with '+' or '/') is accepted like base64url; an empty token means the first page.
    const std = Buffer.from(Buffer.from(token, 'base64url').toString()).toString('base64');
    expect(get(`${base}&limit=50&page_token=${encodeURIComponent(std)}`).body).toEqual(
      get(`${base}&limit=50&page_token=${token}`).body,
    );
    expect(get(`${base}&limit=50&page_token=`).body).toEqual(ok(`${base}&limit=50`));
  });
});

describe('bounded work per page', () => {
  it(`stops a page after ${MAX_DAYS_PER_PAGE} symbol-days, deterministically, and still yields everything`, () => {
    const path = '/v2/stocks/bars?symbols=AMZN,JPM&timeframe=1Day&start=2019-01-01&end=2023-12-31&limit=10000';
    const first = ok<{ bars: Record<string, Bar[]>; next_page_token: string | null }>(path);
    expect(first.bars.AMZN!.length).toBe(MAX_DAYS_PER_PAGE);
    expect(first.next_page_token).not.toBeNull();
    const walked = walkPages(ok, path, 'bars');
    expect(walked.items.length).toBe(2 * 1258); // trading days 2019-2023
    expect(new Set(walked.items.map(([s, b]) => s + tOf(b))).size).toBe(walked.items.length);
    // A second market answers the same first page regardless of what its caches hold.
    const fresh = setup('2024-07-27T15:00:00Z');
    expect(fresh.ok(path)).toEqual(first);
  });

  it('resumes monthly bars mid-range without repeating a month', () => {
    const path = '/v2/stocks/bars?symbols=BA&timeframe=1Month&start=2016-01-01&end=2024-06-30&sort=desc';
    const walked = walkPages(ok, path, 'bars');
    expect(walked.pages).toBeGreaterThan(1);
    expect(walked.items.map(([, b]) => tOf(b).slice(0, 7))).toEqual(
      Array.from({ length: 102 }, (_, i) => {
        const m = 2024 * 12 + 5 - i;
        return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
      }),
    );
  });
});

/**
 * Typed market-data endpoints on the data budget. Historical queries are async iterators that fetch page by page
 * (background lane, at most one page prefetched); `*Page` methods return one raw page for manual paging.
 */
import type { QueryValue } from '../http/transport.js';
import type { Lane } from '../limit/types.js';
import { type Page, type PaginateOptions, paginate } from './paginate.js';
import type { CallOptions, Pipeline, RequestSpec } from './pipeline.js';
import type { Bar, BarsQuery, HistoricalQuery, Quote, Snapshot, Trade, WithSymbol } from './types.js';

export interface IterateOptions extends CallOptions, Omit<PaginateOptions, 'signal'> {}

type Kind = 'bars' | 'trades' | 'quotes';
interface MultiPage<T> {
  next_page_token: string | null;
  [kind: string]: Record<string, T[]> | string | null | undefined;
}
interface SinglePage<T> {
  symbol: string;
  next_page_token: string | null;
  [kind: string]: T[] | string | null | undefined;
}

const iso = (v: string | Date | undefined) => (v instanceof Date ? v.toISOString() : v);
const seg = encodeURIComponent;

function historicalQuery(q: HistoricalQuery & Partial<BarsQuery>, withSymbols: boolean): Record<string, QueryValue> {
  return {
    symbols: withSymbols ? q.symbols.join(',') : undefined,
    timeframe: q.timeframe,
    start: iso(q.start),
    end: iso(q.end),
    limit: q.limit,
    sort: q.sort,
    feed: q.feed,
    adjustment: q.adjustment,
    asof: q.asof,
    currency: q.currency,
  };
}

export class DataApi {
  constructor(private readonly pipeline: Pipeline) {}

  private spec(
    path: string,
    route: string,
    o: CallOptions,
    query: Record<string, QueryValue>,
    lane: Lane,
  ): RequestSpec {
    return {
      method: 'GET',
      path,
      route,
      query,
      budget: 'data',
      lane,
      group: 'data',
      idempotent: true,
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      deadlineMs: o.deadlineMs,
    };
  }

  private multiPage<T>(
    kind: Kind,
    q: HistoricalQuery & Partial<BarsQuery>,
    token: string | undefined,
    o: CallOptions,
    lane: Lane,
  ): Promise<MultiPage<T>> {
    return this.pipeline.json(
      this.spec(
        `/v2/stocks/${kind}`,
        `/v2/stocks/${kind}`,
        o,
        { ...historicalQuery(q, true), page_token: token },
        lane,
      ),
    );
  }

  private iterateMulti<T>(
    kind: Kind,
    q: HistoricalQuery & Partial<BarsQuery>,
    o: IterateOptions,
  ): AsyncGenerator<WithSymbol<T>> {
    return paginate<WithSymbol<T>>(async (token, signal): Promise<Page<WithSymbol<T>>> => {
      const page = await this.multiPage<T>(kind, q, token, { ...o, signal }, 'background');
      const items: WithSymbol<T>[] = [];
      const bySymbol = (page[kind] ?? {}) as Record<string, T[]>;
      for (const symbol of Object.keys(bySymbol)) for (const v of bySymbol[symbol] ?? []) items.push({ ...v, symbol });
      return { items, next: page.next_page_token ?? null };
    }, o);
  }

  private iterateSingle<T>(
    kind: Kind,
    symbol: string,
    q: Omit<HistoricalQuery, 'symbols'> & Partial<BarsQuery>,
    o: IterateOptions,
  ): AsyncGenerator<T> {
    return paginate<T>(async (token, signal) => {
      const page: SinglePage<T> = await this.pipeline.json(
        this.spec(
          `/v2/stocks/${seg(symbol)}/${kind}`,
          `/v2/stocks/{symbol}/${kind}`,
          { ...o, signal },
          { ...historicalQuery({ ...q, symbols: [] }, false), page_token: token },
          'background',
        ),
      );
      return { items: (page[kind] as T[] | null | undefined) ?? [], next: page.next_page_token ?? null };
    }, o);
  }

  /** Every bar of every symbol in the range, symbol by symbol then by time, each tagged with `symbol`. */
  bars(q: BarsQuery, o: IterateOptions = {}): AsyncGenerator<WithSymbol<Bar>> {
    return this.iterateMulti<Bar>('bars', q, o);
  }
  trades(q: HistoricalQuery, o: IterateOptions = {}): AsyncGenerator<WithSymbol<Trade>> {
    return this.iterateMulti<Trade>('trades', q, o);
  }
  quotes(q: HistoricalQuery, o: IterateOptions = {}): AsyncGenerator<WithSymbol<Quote>> {
    return this.iterateMulti<Quote>('quotes', q, o);
  }
  /** Single-symbol endpoints (`/v2/stocks/{symbol}/bars` …). */
  symbolBars(symbol: string, q: Omit<BarsQuery, 'symbols'>, o: IterateOptions = {}): AsyncGenerator<Bar> {
    return this.iterateSingle<Bar>('bars', symbol, q, o);
  }
  symbolTrades(
    symbol: string,
    q: Omit<HistoricalQuery, 'symbols'> = {},
    o: IterateOptions = {},
  ): AsyncGenerator<Trade> {
    return this.iterateSingle<Trade>('trades', symbol, q, o);
  }
  symbolQuotes(
    symbol: string,
    q: Omit<HistoricalQuery, 'symbols'> = {},
    o: IterateOptions = {},
  ): AsyncGenerator<Quote> {
    return this.iterateSingle<Quote>('quotes', symbol, q, o);
  }

  /** One raw page, for manual paging (`pageToken` from the previous page's `next_page_token`). */
  barsPage(
    q: BarsQuery & { pageToken?: string },
    o: CallOptions = {},
  ): Promise<{ bars: Record<string, Bar[]>; next_page_token: string | null }> {
    return this.multiPage<Bar>('bars', q, q.pageToken, o, 'default') as Promise<{
      bars: Record<string, Bar[]>;
      next_page_token: string | null;
    }>;
  }

  async latestBars(symbols: string[], o: CallOptions & { feed?: string } = {}): Promise<Record<string, Bar>> {
    return (await this.latest<Bar>('bars', symbols, o)).bars ?? {};
  }
  async latestTrades(symbols: string[], o: CallOptions & { feed?: string } = {}): Promise<Record<string, Trade>> {
    return (await this.latest<Trade>('trades', symbols, o)).trades ?? {};
  }
  async latestQuotes(symbols: string[], o: CallOptions & { feed?: string } = {}): Promise<Record<string, Quote>> {
    return (await this.latest<Quote>('quotes', symbols, o)).quotes ?? {};
  }
  private latest<T>(
    kind: Kind,
    symbols: string[],
    o: CallOptions & { feed?: string },
  ): Promise<Partial<Record<Kind, Record<string, T>>>> {
    return this.pipeline.json(
      this.spec(
        `/v2/stocks/${kind}/latest`,
        `/v2/stocks/${kind}/latest`,
        o,
        { symbols: symbols.join(','), feed: o.feed },
        'default',
      ),
    );
  }

  snapshots(symbols: string[], o: CallOptions & { feed?: string } = {}): Promise<Record<string, Snapshot>> {
    return this.pipeline.json(
      this.spec(
        '/v2/stocks/snapshots',
        '/v2/stocks/snapshots',
        o,
        { symbols: symbols.join(','), feed: o.feed },
        'default',
      ),
    );
  }
  snapshot(symbol: string, o: CallOptions & { feed?: string } = {}): Promise<Snapshot & { symbol: string }> {
    return this.pipeline.json(
      this.spec(`/v2/stocks/${seg(symbol)}/snapshot`, '/v2/stocks/{symbol}/snapshot', o, { feed: o.feed }, 'default'),
    );
  }
}

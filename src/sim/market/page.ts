/**
 * Paging of historical data. Results are ordered by symbol, then time (in the sort direction); a page holds at
 * most `limit` items in total. The token carries the position of the next item (symbol index and cursor), so
 * every page resumes exactly where the last one stopped, and a hash of the query so it cannot be replayed
 * against different parameters. A page also stops once it has touched {@link MAX_DAYS_PER_PAGE} trading days
 * (Alpaca documents that pages may be shorter than `limit`), which bounds the work of, say, monthly bars
 * across 100 symbols and decades; the stopping point depends only on the query, never on cache state.
 */
import { badRequest } from '../errors.js';
import { calendarBars, intradayBars, type Timeframe } from './bars.js';
import type { SymbolModel } from './prices.js';
import { fnv1aHex } from './rng.js';
import { type Budget, type Cursor, type Entry, type SeriesRange, type SeriesSource, tickSeries } from './series.js';

export type DataKind = 'bars' | 'trades' | 'quotes';

/** Symbol-days one page may generate or aggregate (summed over its symbols). */
export const MAX_DAYS_PER_PAGE = 500;

export interface PageQuery {
  kind: DataKind;
  /** Sorted by symbol. */
  symbols: readonly SymbolModel[];
  /** Required for bars. */
  timeframe?: Timeframe;
  range: SeriesRange;
  limit: number;
  /** Hash of the parameters that define the result (everything but `limit` and `page_token`). */
  binding: string;
}

export interface Page {
  /** Items per symbol, only symbols with items, in response order. */
  data: Map<string, unknown[]>;
  nextToken: string | null;
}

/** Binds tokens to a query: SDKs re-send every parameter, and may lower `limit` on the last page. */
export function queryBinding(kind: DataKind, symbols: readonly SymbolModel[], query: URLSearchParams): string {
  const parts = [kind, symbols.map((s) => s.profile.info.symbol).join(',')];
  for (const name of ['timeframe', 'start', 'end', 'sort', 'feed', 'adjustment', 'asof', 'currency'])
    parts.push(query.get(name) ?? '');
  return fnv1aHex(parts.join('\u0000'));
}

const TOKEN_CHARS = /^[A-Za-z0-9_\-+/]{8,200}={0,2}$/;
const TOKEN_BODY = /^1:([0-9a-f]{8}):(\d{1,5}):(-?\d{1,16}):(\d{1,6})$/;

export function encodeToken(binding: string, symbolIndex: number, c: Cursor): string {
  return Buffer.from(`1:${binding}:${symbolIndex}:${c.key}:${c.sub}`).toString('base64url');
}

export function decodeToken(text: string, q: PageQuery): { symbolIndex: number; cursor: Cursor } {
  // URLSearchParams turns an unencoded '+' into a space; standard base64 is accepted as well as base64url.
  const clean = text.replace(/ /g, '+');
  const m = TOKEN_CHARS.test(clean) ? TOKEN_BODY.exec(Buffer.from(clean, 'base64').toString('latin1')) : null;
  if (!m || m[1] !== q.binding || Number(m[2]) >= q.symbols.length) throw badRequest('invalid page token');
  return { symbolIndex: Number(m[2]), cursor: { key: Number(m[3]), sub: Number(m[4]) } };
}

function series(src: SeriesSource, sm: SymbolModel, q: PageQuery, from: Cursor | undefined, budget: Budget) {
  if (q.kind !== 'bars') return tickSeries(src, sm, q.kind, q.range, from, budget);
  const tf = q.timeframe!;
  return tf.kind === 'intraday'
    ? intradayBars(src, sm, tf.ms, q.range, from?.key, budget)
    : calendarBars(src, sm, tf, q.range, from?.key, budget);
}

export function buildPage(src: SeriesSource, q: PageQuery, token: string | null): Page {
  let first = 0;
  let from: Cursor | undefined;
  if (token !== null && token !== '') {
    const t = decodeToken(token, q);
    first = t.symbolIndex;
    from = t.cursor;
  }
  const budget: Budget = { days: MAX_DAYS_PER_PAGE };
  const data = new Map<string, unknown[]>();
  let count = 0;
  let full = false;
  let nextToken: string | null = null;
  outer: for (let i = first; i < q.symbols.length; i++) {
    const sm = q.symbols[i]!;
    let list: unknown[] | undefined;
    const entries: Iterable<Entry<unknown>> = series(src, sm, q, i === first ? from : undefined, budget);
    for (const e of entries) {
      // One item past a full page is the look-ahead: its position is where the next page starts.
      if (full) {
        nextToken = encodeToken(q.binding, i, e.cursor);
        break outer;
      }
      if (!list) {
        list = [];
        data.set(sm.profile.info.symbol, list);
      }
      list.push(e.item);
      count++;
      full = count >= q.limit || budget.days <= 0;
    }
  }
  return { data, nextToken };
}

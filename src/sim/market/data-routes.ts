/**
 * Market-data REST routes (data host): historical bars/trades/quotes (multi- and single-symbol, paged),
 * latest bar/trade/quote, and snapshots. "Now" is the market clock; nothing after it exists yet.
 */
import { ConfigError } from '../../core/errors.js';
import { notFound } from '../errors.js';
import type { RouteDef, RouteHandler, SimDeps, SimRequest } from '../types.js';
import { latestMinuteBar, latestQuoteJson, latestTradeJson, snapshot } from './latest.js';
import { SyntheticMarket } from './model.js';
import { buildPage, type DataKind, type PageQuery, queryBinding } from './page.js';
import {
  DELAYED_SIP_MS,
  parseAdjustment,
  parseAsof,
  parseCurrency,
  parseFeed,
  parseLimit,
  parseRange,
  parseSort,
  parseSymbols,
  parseTimeframeParam,
  requireSymbol,
} from './params.js';
import type { SymbolModel } from './prices.js';

/** The synthetic market behind `deps`; the data routes read its minute data, not just the MarketModel surface. */
function syntheticOf(deps: SimDeps): SyntheticMarket {
  if (!(deps.market instanceof SyntheticMarket))
    throw new ConfigError('deps.market', 'the market-data routes need a market made by createSyntheticMarket');
  return deps.market;
}

const ok = (body: unknown) => ({ status: 200, body });

function pageQuery(kind: DataKind, symbols: SymbolModel[], req: SimRequest, now: number): PageQuery {
  const q = req.query;
  const timeframe = kind === 'bars' ? parseTimeframeParam(q.get('timeframe')) : undefined;
  if (kind === 'bars') parseAdjustment(q.get('adjustment'));
  parseFeed(q.get('feed'), false);
  parseAsof(q.get('asof'));
  const limit = parseLimit(q.get('limit'));
  const desc = parseSort(q.get('sort'));
  const { lo, hi } = parseRange(q, now);
  return { kind, symbols, timeframe, range: { lo, hi, now, desc }, limit, binding: queryBinding(kind, symbols, q) };
}

function historical(deps: SimDeps, market: SyntheticMarket, kind: DataKind, single: boolean): RouteHandler {
  return (req) => {
    const now = deps.marketClock.wallNow();
    const symbols = single
      ? [requireSymbol(market, req.params.symbol!)]
      : parseSymbols(market, req.query.get('symbols'));
    const currency = parseCurrency(req.query.get('currency'));
    const page = buildPage(market, pageQuery(kind, symbols, req, now), req.query.get('page_token'));
    const extra = currency ? { currency } : {};
    if (single) {
      const symbol = symbols[0]!.profile.info.symbol;
      return ok({ [kind]: page.data.get(symbol) ?? [], symbol, next_page_token: page.nextToken, ...extra });
    }
    return ok({ [kind]: Object.fromEntries(page.data), next_page_token: page.nextToken, ...extra });
  };
}

type LatestKind = 'bars' | 'trades' | 'quotes';
const SINGULAR = { bars: 'bar', trades: 'trade', quotes: 'quote' } as const;

function latestOf(market: SyntheticMarket, kind: LatestKind, sm: SymbolModel, now: number): unknown {
  if (kind === 'bars') return latestMinuteBar(market, sm, now);
  return kind === 'trades' ? latestTradeJson(market, sm, now) : latestQuoteJson(market, sm, now);
}

/** Market now as the requested feed sees it. */
function feedNow(deps: SimDeps, req: SimRequest): number {
  const feed = parseFeed(req.query.get('feed'), true);
  parseCurrency(req.query.get('currency'));
  const now = deps.marketClock.wallNow();
  return feed === 'delayed_sip' ? now - DELAYED_SIP_MS : now;
}

function latest(deps: SimDeps, market: SyntheticMarket, kind: LatestKind, single: boolean): RouteHandler {
  return (req) => {
    if (single) {
      const sm = requireSymbol(market, req.params.symbol!);
      const item = latestOf(market, kind, sm, feedNow(deps, req));
      const symbol = sm.profile.info.symbol;
      if (item === undefined) throw notFound(`no ${SINGULAR[kind]} found for ${symbol}`);
      return ok({ symbol, [SINGULAR[kind]]: item });
    }
    const symbols = parseSymbols(market, req.query.get('symbols'));
    const now = feedNow(deps, req);
    const out: Record<string, unknown> = {};
    for (const sm of symbols) {
      const item = latestOf(market, kind, sm, now);
      if (item !== undefined) out[sm.profile.info.symbol] = item;
    }
    return ok({ [kind]: out });
  };
}

function snapshots(deps: SimDeps, market: SyntheticMarket, single: boolean): RouteHandler {
  return (req) => {
    if (single) {
      const sm = requireSymbol(market, req.params.symbol!);
      return ok({ symbol: sm.profile.info.symbol, ...snapshot(market, sm, feedNow(deps, req)) });
    }
    const symbols = parseSymbols(market, req.query.get('symbols'));
    const now = feedNow(deps, req);
    const out: Record<string, unknown> = {};
    for (const sm of symbols) out[sm.profile.info.symbol] = snapshot(market, sm, now);
    return ok(out);
  };
}

/** Routes of the data host. Throws ConfigError when `deps.market` is not a synthetic market. */
export function marketDataRoutes(deps: SimDeps): RouteDef[] {
  const market = syntheticOf(deps);
  const routes: RouteDef[] = [];
  const get = (template: string, handler: RouteHandler) =>
    routes.push({ method: 'GET', template, host: 'data', handler });
  for (const kind of ['bars', 'trades', 'quotes'] as const) {
    get(`/v2/stocks/${kind}`, historical(deps, market, kind, false));
    get(`/v2/stocks/{symbol}/${kind}`, historical(deps, market, kind, true));
    get(`/v2/stocks/${kind}/latest`, latest(deps, market, kind, false));
    get(`/v2/stocks/{symbol}/${kind}/latest`, latest(deps, market, kind, true));
  }
  get('/v2/stocks/snapshots', snapshots(deps, market, false));
  get('/v2/stocks/{symbol}/snapshot', snapshots(deps, market, true));
  return routes;
}

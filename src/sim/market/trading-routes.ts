/**
 * Trading-host routes backed by the market: `/v2/clock`, `/v2/calendar`, `/v2/assets` and
 * `/v2/assets/{symbol_or_asset_id}`. They use only the MarketModel surface, so any model works.
 */
import { badRequest, notFound, unprocessable } from '../errors.js';
import type { AssetInfo, RouteDef, RouteHandler, SimDeps } from '../types.js';
import { ASSET_ATTRIBUTES, ASSET_EXCHANGES, assetJson } from './assets.js';
import { type CalendarRow, calendarRow, settlementDay } from './calendar.js';
import { formatDay, formatNy, nyDayOf, parseTime } from './ny-time.js';

/** Longest `/v2/calendar` range, in days. */
export const MAX_CALENDAR_DAYS = 3000;
/** Calendar rows returned when `end` is omitted: start plus this many days. */
const DEFAULT_CALENDAR_DAYS = 31;

const ok = (body: unknown) => ({ status: 200, body });

function clock(deps: SimDeps): RouteHandler {
  return () => {
    const now = deps.marketClock.wallNow();
    const s = deps.market.session(now);
    return ok({
      timestamp: formatNy(now),
      is_open: s.isOpen,
      next_open: formatNy(s.nextOpen, false),
      next_close: formatNy(s.nextClose, false),
    });
  };
}

/** A calendar bound: `YYYY-MM-DD`, or an RFC-3339 timestamp taken as its New York date. */
function calendarDay(name: string, raw: string): number {
  const t = parseTime(raw);
  if (!t) throw badRequest(`invalid ${name}: ${JSON.stringify(raw.slice(0, 64))}, must be YYYY-MM-DD`);
  return t.kind === 'date' ? t.day : nyDayOf(t.at.ms);
}

function calendar(deps: SimDeps): RouteHandler {
  return (req) => {
    const q = req.query;
    const startRaw = q.get('start');
    const endRaw = q.get('end');
    const start = startRaw !== null ? calendarDay('start', startRaw) : nyDayOf(deps.marketClock.wallNow());
    const end = endRaw !== null ? calendarDay('end', endRaw) : start + DEFAULT_CALENDAR_DAYS;
    const dateType = (q.get('date_type') ?? 'TRADING').toUpperCase();
    if (dateType !== 'TRADING' && dateType !== 'SETTLEMENT')
      throw badRequest(`invalid date_type: ${JSON.stringify(q.get('date_type'))}, must be TRADING or SETTLEMENT`);
    if (start > end) throw badRequest(`invalid start: ${formatDay(start)} is after end ${formatDay(end)}`);
    if (end - start + 1 > MAX_CALENDAR_DAYS)
      throw badRequest(`invalid end: the range spans ${end - start + 1} days, at most ${MAX_CALENDAR_DAYS}`);
    const rows: CalendarRow[] = [];
    if (dateType === 'TRADING') {
      for (let d = start; d <= end; d++) {
        const row = calendarRow(d);
        if (row) rows.push(row);
      }
    } else {
      // Trading days whose settlement date falls in the range (settlement is at most a few days later).
      for (let d = start - 10; d <= end; d++) {
        const row = calendarRow(d);
        const s = row ? settlementDay(d) : -1;
        if (row && s >= start && s <= end) rows.push(row);
      }
    }
    return ok(rows);
  };
}

function csv(raw: string | null): string[] {
  return raw === null
    ? []
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function assets(deps: SimDeps): RouteHandler {
  return (req) => {
    const q = req.query;
    const status = q.get('status');
    if (status !== null && status !== 'active' && status !== 'inactive')
      throw unprocessable(`invalid status: ${JSON.stringify(status)}, must be active or inactive`);
    const assetClass = q.get('asset_class') ?? 'us_equity';
    if (!['us_equity', 'us_option', 'crypto'].includes(assetClass))
      throw unprocessable(`invalid asset_class: ${JSON.stringify(assetClass)}, must be us_equity, us_option or crypto`);
    const exchange = q.get('exchange');
    if (exchange !== null && !(ASSET_EXCHANGES as readonly string[]).includes(exchange))
      throw unprocessable(
        `invalid exchange: ${JSON.stringify(exchange)}, must be one of ${ASSET_EXCHANGES.join(', ')}`,
      );
    const attributes = csv(q.get('attributes'));
    for (const a of attributes)
      if (!(ASSET_ATTRIBUTES as readonly string[]).includes(a))
        throw unprocessable(`invalid attributes: ${JSON.stringify(a)}, must be among ${ASSET_ATTRIBUTES.join(', ')}`);
    // The synthetic universe holds US equities only.
    if (assetClass !== 'us_equity') return ok([]);
    const keep = (a: AssetInfo) =>
      (status === null || a.status === status) && (exchange === null || a.exchange === exchange);
    const out = deps.market.assets().filter(keep).map(assetJson);
    // An asset matches an attribute filter when it has any of the attributes.
    return ok(
      attributes.length === 0 ? out : out.filter((a) => (a.attributes as string[]).some((x) => attributes.includes(x))),
    );
  };
}

function asset(deps: SimDeps): RouteHandler {
  return (req) => {
    const key = req.params.symbol_or_asset_id!;
    const found = deps.market.asset(key) ?? deps.market.asset(key.toUpperCase());
    if (!found) throw notFound('asset not found');
    return ok(assetJson(found));
  };
}

export function tradingInfoRoutes(deps: SimDeps): RouteDef[] {
  const get = (template: string, handler: RouteHandler): RouteDef => ({
    method: 'GET',
    template,
    host: 'trading',
    handler,
  });
  return [
    get('/v2/clock', clock(deps)),
    get('/v2/calendar', calendar(deps)),
    get('/v2/assets', assets(deps)),
    get('/v2/assets/{symbol_or_asset_id}', asset(deps)),
  ];
}

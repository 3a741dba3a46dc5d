/**
 * Query-parameter parsing for the market-data routes. Every failure is a 400 (code 40010001) whose message
 * names the parameter, as Alpaca's data API does.
 */
import { badRequest } from '../errors.js';
import { parseTimeframe, type Timeframe } from './bars.js';
import type { SyntheticMarket } from './model.js';
import { compareNano, type NanoTime, nanoFromMs, nyDayOf, nyTime, parseTime } from './ny-time.js';
import type { SymbolModel } from './prices.js';

/** Most symbols one request may name. */
export const MAX_SYMBOLS = 100;
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

const HISTORICAL_FEEDS = ['sip', 'iex', 'otc', 'boats'];
const LATEST_FEEDS = [...HISTORICAL_FEEDS, 'delayed_sip', 'overnight'];
const ADJUSTMENTS = ['raw', 'split', 'dividend', 'spin-off', 'all'];

const show = (v: string): string => JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}...` : v);

export function requireSymbol(market: SyntheticMarket, symbol: string): SymbolModel {
  const sm = market.symbolModel(symbol);
  if (!sm) throw badRequest(`invalid symbol: ${show(symbol)} is not in the simulator's universe`);
  return sm;
}

/** `symbols=A,B`: required, deduplicated, sorted (the response order), at most {@link MAX_SYMBOLS}. */
export function parseSymbols(market: SyntheticMarket, raw: string | null): SymbolModel[] {
  if (raw === null || raw.trim() === '') throw badRequest('missing symbols');
  const names = [...new Set(raw.split(',').map((s) => s.trim()))];
  if (names.length > MAX_SYMBOLS) throw badRequest(`invalid symbols: ${names.length} given, at most ${MAX_SYMBOLS}`);
  if (names.includes('')) throw badRequest('invalid symbols: empty symbol in the list');
  names.sort();
  return names.map((n) => requireSymbol(market, n));
}

export function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= MAX_LIMIT))
    throw badRequest(`invalid limit: ${show(raw)}, must be an integer from 1 to ${MAX_LIMIT}`);
  return n;
}

/** True for `desc`. */
export function parseSort(raw: string | null): boolean {
  if (raw === null || raw === 'asc') return false;
  if (raw === 'desc') return true;
  throw badRequest(`invalid sort: ${show(raw)}, must be asc or desc`);
}

/** Accepted and otherwise ignored (one synthetic SIP feed), except `delayed_sip` on latest endpoints. */
export function parseFeed(raw: string | null, latest: boolean): string {
  if (raw === null) return 'sip';
  if (!(latest ? LATEST_FEEDS : HISTORICAL_FEEDS).includes(raw))
    throw badRequest(
      `invalid feed: ${show(raw)}, must be one of ${(latest ? LATEST_FEEDS : HISTORICAL_FEEDS).join(', ')}`,
    );
  return raw;
}

/** Accepted, no effect (the synthetic history has no corporate actions). */
export function parseAdjustment(raw: string | null): void {
  if (raw === null) return;
  for (const part of raw.split(','))
    if (!ADJUSTMENTS.includes(part.trim()))
      throw badRequest(`invalid adjustment: ${show(raw)}, must be a comma-separated list of ${ADJUSTMENTS.join(', ')}`);
}

export function parseAsof(raw: string | null): void {
  if (raw === null || raw === '-' || raw === '') return;
  const t = parseTime(raw);
  if (t?.kind !== 'date') throw badRequest(`invalid asof: ${show(raw)}, must be YYYY-MM-DD or "-"`);
}

/** Only USD exists in the simulator. */
export function parseCurrency(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  if (raw.toUpperCase() !== 'USD') throw badRequest(`invalid currency: ${show(raw)}, only USD is supported`);
  return 'USD';
}

export function parseTimeframeParam(raw: string | null): Timeframe {
  if (raw === null || raw === '') throw badRequest('missing timeframe');
  const tf = parseTimeframe(raw);
  if (!tf)
    throw badRequest(
      `invalid timeframe: ${show(raw)}, must be [1-59]Min, [1-23]Hour, 1Day, 1Week or [1,2,3,4,6,12]Month (or T, H, D, W, M)`,
    );
  return tf;
}

function timeParam(name: 'start' | 'end', raw: string): NanoTime {
  const t = parseTime(raw);
  if (!t) throw badRequest(`invalid ${name}: ${show(raw)}, must be RFC-3339 (2024-07-23T14:30:00Z) or YYYY-MM-DD`);
  if (t.kind === 'instant') return t.at;
  // A bare date is a whole New York day: from its midnight, or through its last nanosecond.
  return name === 'start' ? { ms: nyTime(t.day), ns: 0 } : { ms: nyTime(t.day + 1) - 1, ns: 999_999 };
}

export interface TimeRange {
  lo: NanoTime;
  /** min(end, now). */
  hi: NanoTime;
}

/**
 * `start`/`end`, inclusive. Defaults: end = now; start = New York midnight of the end's day (today when
 * neither is given). Start after end is a 400.
 */
export function parseRange(query: URLSearchParams, now: number): TimeRange {
  const startRaw = query.get('start');
  const endRaw = query.get('end');
  const nowT = nanoFromMs(now);
  const end = endRaw !== null ? timeParam('end', endRaw) : nowT;
  const lo = startRaw !== null ? timeParam('start', startRaw) : { ms: nyTime(nyDayOf(Math.min(end.ms, now))), ns: 0 };
  if (compareNano(lo, end) > 0)
    throw badRequest(`invalid start: ${startRaw ?? 'today'} is after end ${endRaw ?? 'now'}`);
  return { lo, hi: compareNano(end, nowT) < 0 ? end : nowT };
}

/** 15 minutes: how far the `delayed_sip` feed lags. */
export const DELAYED_SIP_MS = 15 * 60_000;

/**
 * The simulator's deterministic synthetic market: NYSE calendar, asset universe, a price process that is a pure
 * function of (seed, symbol, time), and the Alpaca routes that serve it.
 */
export type { Agg, BarJson } from './agg.js';
export { ASSET_ATTRIBUTES, ASSET_EXCHANGES, assetJson, defaultSymbols, isValidSymbol } from './assets.js';
export type { Timeframe } from './bars.js';
export { parseTimeframe } from './bars.js';
export type { CalendarRow, TradingSession } from './calendar.js';
export { defaultMarketStart, marketSession, nyseCalendar } from './calendar.js';
export { marketDataRoutes } from './data-routes.js';
export { createSyntheticMarket, SyntheticMarket, type SyntheticMarketOptions, UnknownSymbolError } from './model.js';
export type { NanoTime, ParsedTime } from './ny-time.js';
export { formatDay, formatNy, nyDayOf, nyTime, parseDay, parseTime } from './ny-time.js';
export { MAX_DAYS_PER_PAGE } from './page.js';
export { DEFAULT_LIMIT, MAX_LIMIT, MAX_SYMBOLS } from './params.js';
export { HISTORY_END_DAY, HISTORY_START_DAY } from './prices.js';
export type { QuoteJson, TradeJson } from './ticks.js';
export { MAX_CALENDAR_DAYS, tradingInfoRoutes } from './trading-routes.js';

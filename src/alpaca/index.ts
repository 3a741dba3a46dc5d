export { type Client, createClient, type RawRequestOptions } from './client.js';
export type { DataApi, IterateOptions } from './data.js';
export { OrderStateUnknownError, PaginationError } from './errors.js';
export type { ClientEvent } from './events.js';
export { type BudgetOptions, type ClientOptions, DATA_URL, LIVE_TRADING_URL, PAPER_TRADING_URL } from './options.js';
export type { OrderOptions } from './orders.js';
export type { ApiMethod, BreakerGroup, Budget, CallOptions } from './pipeline.js';
export type { TradingApi } from './trading.js';
export * from './types.js';

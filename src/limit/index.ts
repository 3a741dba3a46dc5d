/** Account-wide rate limiting for Alpaca: lanes, exact sliding windows, server feedback, shared through Redis. */

export type { RateLimitHeaders, RetryAfter } from '../core/headers.js';
export { parseRateLimitHeaders, parseRetryAfter } from '../core/headers.js';
export { QueueFullError, RateLimitedError, StoreUnavailableError } from './errors.js';
export { hashKey } from './key.js';
export { MemoryStore } from './memory-store.js';
export type { RateLimiterOptions } from './options.js';
export { type PresetName, presets } from './presets.js';
export { RateLimiter } from './rate-limiter.js';
export type { RedisStoreOptions } from './redis-store.js';
export { RedisStore } from './redis-store.js';
export type {
  AdmitRequest,
  AdmitResult,
  LimiterStore,
  MaybePromise,
  Prediction,
  StoreScope,
  StoreSession,
  StoreStatus,
  StoreUsage,
} from './store.js';
export type {
  AcquireOptions,
  HeaderSource,
  Lane,
  LimiterEvent,
  LimiterSnapshot,
  Permit,
  RejectReason,
  ServerViewSnapshot,
  WindowLimit,
  WindowSnapshot,
} from './types.js';
export { LANES } from './types.js';

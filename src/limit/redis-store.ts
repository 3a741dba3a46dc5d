import { type Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import { parseConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { RedisSession } from './redis-session.js';
import type { LimiterStore, StoreScope, StoreSession } from './store.js';

export interface RedisStoreOptions {
  /**
   * An ioredis client (or Cluster) to use; the store never closes it. Create it with `enableOfflineQueue: false`,
   * a short `commandTimeout` (≈ 200 ms) and `maxRetriesPerRequest: 1`, so an outage is noticed at once.
   */
  client?: Redis | Cluster;
  /** Or a `redis://` URL: the store creates a client with those settings and closes it in {@link RedisStore.close}. */
  url?: string;
  /**
   * What acquires do while Redis is unreachable: admit against a local log limited to `fallbackShare` of each
   * window, or reject with StoreUnavailableError. @default 'local-fallback'
   */
  onUnavailable?: 'local-fallback' | 'fail-closed';
  /** Share of each window this process may use while degraded: set it to 1 / expectedInstances. @default 0.5 */
  fallbackShare?: number;
  /** While degraded, try Redis again on the next acquire after this long (or at once on ioredis 'ready'). @default 1000 */
  recoverAfterMs?: number;
  /** Longest wait for one script call before Redis counts as unreachable. @default 200 */
  commandTimeoutMs?: number;
  /** Longest wait for the first connection before the first call. @default 2000 */
  connectTimeoutMs?: number;
}

export interface ResolvedRedisOptions {
  onUnavailable: 'local-fallback' | 'fail-closed';
  fallbackShare: number;
  recoverAfterMs: number;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** Text never to show in a reason (the URL's password). */
  secrets: string[];
}

const schema = z
  .object({
    client: z
      .custom<Redis | Cluster>((v) => typeof (v as Redis)?.evalsha === 'function', 'expected an ioredis client')
      .optional(),
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    onUnavailable: z.enum(['local-fallback', 'fail-closed']).default('local-fallback'),
    fallbackShare: z.number().gt(0).max(1).default(0.5),
    recoverAfterMs: z.number().positive().finite().default(1000),
    commandTimeoutMs: z.number().positive().finite().default(200),
    connectTimeoutMs: z.number().positive().finite().default(2000),
  })
  .strict();

/**
 * Shares one budget between every process of an account through Redis: atomic Lua scripts on Redis time, keys
 * `corral:{<key>}:<name>:inflight|released|block` (one Cluster slot per account), PEXPIRE on every key, no polling and
 * no pub/sub. Degrades to a local fallback (or fails closed) while Redis is unreachable and writes local admissions
 * back when it returns.
 */
export class RedisStore implements LimiterStore {
  readonly kind = 'redis';
  readonly client: Redis | Cluster;
  private readonly owned: boolean;
  private readonly options: ResolvedRedisOptions;
  private readonly sessions = new Set<RedisSession>();
  private closed = false;

  constructor(options: RedisStoreOptions) {
    const o = parseConfig(schema, options ?? {}, 'redisStore');
    if ((o.client === undefined) === (o.url === undefined)) {
      throw new ConfigError('redisStore', 'pass exactly one of client or url');
    }
    const secrets: string[] = [];
    if (o.url) {
      const password = safePassword(o.url);
      if (password) secrets.push(password, encodeURIComponent(password));
    }
    this.options = {
      onUnavailable: o.onUnavailable,
      fallbackShare: o.fallbackShare,
      recoverAfterMs: o.recoverAfterMs,
      commandTimeoutMs: o.commandTimeoutMs,
      connectTimeoutMs: o.connectTimeoutMs,
      secrets,
    };
    if (o.client) {
      this.client = o.client;
      this.owned = false;
    } else {
      const client = new Redis(o.url!, {
        enableOfflineQueue: false,
        commandTimeout: o.commandTimeoutMs,
        maxRetriesPerRequest: 1,
        connectTimeout: o.connectTimeoutMs,
        // Reconnect quickly and forever: recovery is automatic on 'ready'.
        retryStrategy: (times) => Math.min(50 * times, 1000),
      });
      // We own this client: its connection errors surface as `degraded`, not as unhandled 'error' events.
      client.on('error', () => {});
      this.client = client;
      this.owned = true;
    }
  }

  open(scope: StoreScope): StoreSession {
    if (this.closed) throw new ConfigError('store', 'this RedisStore is closed');
    const session = new RedisSession(this.client, scope, this.options, () => this.sessions.delete(session));
    this.sessions.add(session);
    return session;
  }

  /** Closes every session and, if the store created the client, the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.sessions].map((s) => s.close()));
    if (this.owned) {
      try {
        await this.client.quit();
      } catch {
        this.client.disconnect();
      }
    }
  }
}

function safePassword(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One origin, one bounded undici Pool. The transport sends a request and buffers its answer; it never retries,
 * never follows redirects and never throws for an HTTP status (classification is the caller's job, see classify.ts).
 */
import { Pool } from 'undici';
import { abortReason, type Clock, systemClock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import {
  InvalidResponseError,
  pathOnly,
  TimeoutError,
  TransportClosedError,
  TransportSaturatedError,
} from './errors.js';
import { type RawResponse, ResponseCollector } from './response-collector.js';
import { parseTransportOptions, type ResolvedTransportOptions, type TransportOptions } from './transport-options.js';
import { toTransportError } from './undici-errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;

export interface TransportRequest {
  method: HttpMethod;
  /** Absolute path on the origin, e.g. `/v2/orders`. May carry a query string; `query` is appended to it. */
  path: string;
  /** Query parameters; `undefined`/`null` values are skipped, arrays repeat the key. */
  query?: Readonly<Record<string, QueryValue>>;
  /** Per-request headers (override `defaultHeaders`); `undefined` values are skipped. */
  headers?: Readonly<Record<string, string | undefined>>;
  /** A string or bytes are sent as they are; anything else is serialised as JSON. */
  body?: unknown;
  /** Cancels the attempt and frees its socket. */
  signal?: AbortSignal;
  /** Deadline for this attempt. @default the transport's `timeoutMs` */
  timeoutMs?: number;
  /** @default the transport's `headersTimeoutMs` */
  headersTimeoutMs?: number;
  /** @default the transport's `bodyTimeoutMs` */
  bodyTimeoutMs?: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** The body, decoded when the server compressed it. */
  body: Buffer;
  text(): string;
  /** Parsed JSON body; `undefined` for an empty body. Throws InvalidResponseError on malformed JSON. */
  json<T = unknown>(): T;
}

export interface TransportStats {
  connected: number;
  free: number;
  pending: number;
  queued: number;
  running: number;
  size: number;
}

function checkTimeout(value: number | undefined, field: string): void {
  // Timers overflow past 2^31-1 ms (Node then fires after 1 ms), so cap well below that.
  if (value !== undefined && !(typeof value === 'number' && value > 0 && value <= 86_400_000)) {
    throw new ConfigError(`request.${field}`, 'must be a positive number of milliseconds, at most one day');
  }
}

function buildPath(path: string, query: TransportRequest['query']): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || /[\s#]/.test(path)) {
    throw new ConfigError('request.path', 'must be an absolute path such as /v2/orders (no host, spaces or fragment)');
  }
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const qs = params.toString();
  if (qs === '') return path;
  return path + (path.includes('?') ? '&' : '?') + qs;
}

function makeResponse(raw: RawResponse, method: string, path: string): TransportResponse {
  return {
    status: raw.status,
    headers: raw.headers,
    body: raw.body,
    text: () => raw.body.toString('utf8'),
    json: <T>() => {
      if (raw.body.length === 0) return undefined as T;
      try {
        return JSON.parse(raw.body.toString('utf8')) as T;
      } catch (err) {
        throw new InvalidResponseError('response body is not valid JSON', raw.status, { method, path, cause: err });
      }
    },
  };
}

export class Transport {
  readonly origin: string;
  readonly options: Readonly<ResolvedTransportOptions>;
  private readonly pool: Pool;
  private readonly clock: Clock;
  private readonly baseHeaders: Record<string, string>;
  /** Requests undici still owns (queued or on a socket); the bound behind `maxQueued`. */
  private active = 0;
  private closed = false;

  constructor(options: TransportOptions) {
    this.options = parseTransportOptions(options);
    const o = this.options;
    this.origin = new URL(o.origin).origin;
    this.clock = o.clock ?? systemClock;
    this.pool = new Pool(this.origin, {
      connections: o.connections,
      pipelining: o.pipelining,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      keepAliveMaxTimeout: o.keepAliveMaxTimeoutMs,
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      connectTimeout: o.connectTimeoutMs,
      // Explicitly true so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot switch verification off.
      connect: { rejectUnauthorized: true, ...(o.ca ? { ca: o.ca } : {}) },
    });
    this.baseHeaders = { accept: 'application/json' };
    if (o.acceptGzip) this.baseHeaders['accept-encoding'] = 'gzip';
    for (const [k, v] of Object.entries(o.defaultHeaders)) this.baseHeaders[k.toLowerCase()] = v;
    this.baseHeaders['user-agent'] = o.userAgent;
  }

  /** Sends one attempt. Resolves for every HTTP status except 3xx; rejects with corral's typed errors. */
  async request(req: TransportRequest): Promise<TransportResponse> {
    if (this.closed) throw new TransportClosedError();
    if (typeof req !== 'object' || req === null) throw new ConfigError('request', 'must be an object');
    const method = typeof req.method === 'string' ? req.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw new ConfigError('request.method', `must be one of ${[...METHODS].join(', ')}`);
    const fullPath = buildPath(req.path, req.query);
    const path = pathOnly(fullPath);
    checkTimeout(req.timeoutMs, 'timeoutMs');
    checkTimeout(req.headersTimeoutMs, 'headersTimeoutMs');
    checkTimeout(req.bodyTimeoutMs, 'bodyTimeoutMs');
    const { signal } = req;
    if (signal?.aborted) throw abortReason(signal);
    const o = this.options;
    if (this.active >= o.connections * o.pipelining + o.maxQueued) throw new TransportSaturatedError(o.maxQueued);

    const headers: Record<string, string> = { ...this.baseHeaders };
    let body: string | Buffer | Uint8Array | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string' || req.body instanceof Uint8Array) body = req.body;
      else {
        let json: string | undefined;
        try {
          json = JSON.stringify(req.body);
        } catch {
          json = undefined; // cycles, BigInt
        }
        if (json === undefined) throw new ConfigError('request.body', 'must be a string, bytes or JSON-serialisable');
        body = json;
        headers['content-type'] = 'application/json';
      }
    }
    for (const [k, v] of Object.entries(req.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;

    const headersTimeoutMs = req.headersTimeoutMs ?? o.headersTimeoutMs;
    const bodyTimeoutMs = req.bodyTimeoutMs ?? o.bodyTimeoutMs;
    const timeoutMs = req.timeoutMs ?? o.timeoutMs;
    const collector = new ResponseCollector({
      method,
      path,
      origin: this.origin,
      maxResponseBytes: o.maxResponseBytes,
      mapError: (err, sent) =>
        toTransportError(err, {
          method,
          path,
          sent,
          connectTimeoutMs: o.connectTimeoutMs,
          headersTimeoutMs,
          bodyTimeoutMs,
        }),
      onDone: () => {
        this.active--;
      },
    });

    const timer = this.clock.setTimeout(() => {
      collector.abort(new TimeoutError('total', timeoutMs, { method, path, maybeSent: collector.sent }));
    }, timeoutMs);
    const onAbort = () => collector.abort(abortReason(signal as AbortSignal));
    signal?.addEventListener('abort', onAbort, { once: true });

    this.active++;
    this.pool.dispatch(
      { path: fullPath, method, headers, body, headersTimeout: headersTimeoutMs, bodyTimeout: bodyTimeoutMs },
      collector,
    );
    try {
      return makeResponse(await collector.promise, method, path);
    } finally {
      this.clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Connection-pool counters (undici's PoolStats). */
  stats(): TransportStats {
    const s = this.pool.stats;
    return {
      connected: s.connected,
      free: s.free,
      pending: s.pending,
      queued: s.queued,
      running: s.running,
      size: s.size,
    };
  }

  /** Stops accepting requests, lets in-flight ones finish and closes the sockets. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }

  /** Aborts everything in flight and closes the sockets at once. */
  async destroy(): Promise<void> {
    this.closed = true;
    if (!this.pool.destroyed) await this.pool.destroy();
  }
}

/**
 * The one path every REST call takes, in one direction:
 * lane → limiter.acquire → circuit breaker → transport → limiter.observe → classify → (retry, idempotent only).
 * Order submission does not use the retry loop: it calls `attempt()` and reconciles itself (orders.ts).
 */
import type { Clock } from '../core/clock.js';
import type { Emitter } from '../core/events.js';
import type { BreakerRegistry } from '../http/breaker-registry.js';
import { breakerVerdict, classifyOutcome } from '../http/classify.js';
import { AlpacaApiError, mayHaveBeenSent } from '../http/errors.js';
import type { RetryPolicy } from '../http/retry.js';
import type { QueryValue, Transport, TransportResponse } from '../http/transport.js';
import type { RateLimiter } from '../limit/rate-limiter.js';
import type { Lane } from '../limit/types.js';
import type { ClientEvent } from './events.js';

export type Budget = 'trading' | 'data';
/** Breaker groups: few and coarse, so each sees enough samples and stays a bounded metrics label. */
export type BreakerGroup = 'orders' | 'trading' | 'data';
export type ApiMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface RequestSpec {
  method: ApiMethod;
  /** Path with parameters already encoded, e.g. `/v2/orders/8f1…`. */
  path: string;
  /** Route template for telemetry, e.g. `/v2/orders/{order_id}` (never the raw path: ids are unbounded labels). */
  route: string;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  budget: Budget;
  lane: Lane;
  group: BreakerGroup;
  /** Whether resending cannot cause a second effect. Only idempotent requests are retried. */
  idempotent: boolean;
  signal?: AbortSignal;
  /** Per-attempt timeout override. */
  timeoutMs?: number;
  /** Fail fast when the limiter predicts a longer wait. @default the lane's deadline */
  deadlineMs?: number;
}

/** Per-call options every typed endpoint accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  deadlineMs?: number;
}

export interface PipelineParts {
  transports: Record<Budget, Transport>;
  /** Path prefix of each base URL (empty for a bare origin). */
  prefixes: Record<Budget, string>;
  limiters: Record<Budget, RateLimiter>;
  breakers: BreakerRegistry;
  retry: RetryPolicy;
  clock: Clock;
  /** Scrubbed from every error message and quoted body. */
  secrets: readonly string[];
  events: Emitter<ClientEvent>;
}

export class Pipeline {
  constructor(private readonly p: PipelineParts) {}

  /** One attempt. Resolves with the response whatever its status; throws limiter, breaker and transport errors. */
  async attempt(spec: RequestSpec, attempt = 1): Promise<TransportResponse> {
    const { limiters, breakers, transports, clock, events } = this.p;
    const limiter = limiters[spec.budget];
    const permit = await limiter.acquire({ lane: spec.lane, signal: spec.signal, deadlineMs: spec.deadlineMs });
    let ticket: ReturnType<ReturnType<BreakerRegistry['get']>['acquire']>;
    try {
      ticket = breakers.get(spec.group).acquire();
    } catch (err) {
      permit.release({ sent: false });
      throw err;
    }
    const started = clock.now();
    const report = (status: number, error?: string) => {
      if (!events.hasListeners) return;
      const e: ClientEvent = {
        type: 'request',
        method: spec.method,
        route: spec.route,
        budget: spec.budget,
        status,
        attempt,
        durationMs: clock.now() - started,
        waitedMs: permit.waitedMs,
      };
      if (error) e.error = error;
      events.fire(e);
    };
    try {
      const res = await transports[spec.budget].request({
        method: spec.method,
        path: this.p.prefixes[spec.budget] + spec.path,
        query: spec.query,
        body: spec.body,
        signal: spec.signal,
        timeoutMs: spec.timeoutMs,
      });
      limiter.observe(res.status, res.headers, permit);
      permit.release();
      const c = classifyOutcome({ type: 'response', status: res.status, headers: res.headers }, clock.wallNow());
      ticket.report(breakerVerdict(c));
      report(res.status);
      return res;
    } catch (err) {
      permit.release({ sent: mayHaveBeenSent(err) });
      const c = classifyOutcome({ type: 'error', error: err }, clock.wallNow(), spec.signal);
      ticket.report(breakerVerdict(c));
      report(0, c.reason);
      throw err;
    }
  }

  /**
   * Attempts with retries (idempotent specs only) and returns the final response; `accept` lists non-2xx statuses
   * returned rather than thrown (e.g. 404 for a lookup). Other non-2xx statuses throw AlpacaApiError.
   */
  async send(spec: RequestSpec, accept: readonly number[] = []): Promise<TransportResponse> {
    const res = await this.p.retry.execute((ctx) => this.attempt(spec, ctx.attempt), {
      idempotent: spec.idempotent,
      signal: spec.signal,
      outcome: (r) =>
        accept.includes(r.status) ? { type: 'success' } : { type: 'response', status: r.status, headers: r.headers },
    });
    if ((res.status >= 200 && res.status < 300) || accept.includes(res.status)) return res;
    throw this.apiError(spec, res);
  }

  /** `send` and parse the JSON body. */
  async json<T>(spec: RequestSpec): Promise<T> {
    return (await this.send(spec)).json<T>();
  }

  apiError(spec: Pick<RequestSpec, 'method' | 'path'>, res: TransportResponse): AlpacaApiError {
    return AlpacaApiError.fromResponse({
      method: spec.method,
      path: spec.path,
      status: res.status,
      headers: res.headers,
      body: res.body,
      wallNowMs: this.p.clock.wallNow(),
      secrets: this.p.secrets,
    });
  }
}

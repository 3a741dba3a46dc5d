import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AccountEntry, AccountRegistry } from './accounts.js';
import { SimHttpError } from './errors.js';
import type { FaultDecision, FaultEngine } from './faults.js';
import { httpDate, readJsonBody, writeJson } from './http-io.js';
import type { ResolvedSimOptions } from './options.js';
import type { RateBucket } from './rate-limit.js';
import type { Router } from './router.js';
import type { RequestLog, SimCounters } from './stats.js';
import type { Method, RouteDef } from './types.js';

export interface HandlerContext {
  o: ResolvedSimOptions;
  clock: Clock;
  /** Server wall time (epoch ms, fractional, monotonic). */
  serverNow: () => number;
  router: Router;
  accounts: AccountRegistry;
  faults: FaultEngine;
  counters: SimCounters;
  log: RequestLog;
  logger: Logger;
  admin: (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => void;
  /** Sockets held open by `hang` faults, so close() can end them. */
  hanging: Set<IncomingMessage>;
}

const EMPTY_QUERY = new URLSearchParams();
let requestSeq = 0;

/** Alpaca-like bodies for injected statuses: JSON from the API, HTML from the load balancer for 502/503/504. */
function faultBody(status: number): { body: string; type: string } {
  if (status === 429)
    return { body: '{"code":42910000,"message":"rate limit exceeded"}', type: 'application/json; charset=UTF-8' };
  if (status === 500)
    return { body: '{"code":50010000,"message":"internal server error"}', type: 'application/json; charset=UTF-8' };
  const text = status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : 'Gateway Time-out';
  return {
    body: `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>`,
    type: 'text/html',
  };
}

export function createRequestHandler(ctx: HandlerContext) {
  const { o, router, accounts, counters, log } = ctx;

  function baseHeaders(now: number): Record<string, string | number> {
    return {
      Date: httpDate(now),
      'X-Request-ID': `${(++requestSeq).toString(16).padStart(12, '0')}${o.seed.toString(16)}`,
    };
  }

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    slot: number,
    key: string,
    status: number,
    body: unknown,
    headers: Record<string, string | number>,
    gzip = false,
  ) {
    counters.record(key, status);
    log.setStatus(slot, status);
    writeJson(req, res, status, body, headers, gzip);
  }

  function destroy(req: IncomingMessage): void {
    const s = req.socket as IncomingMessage['socket'] & { resetAndDestroy?: () => void };
    if (s.resetAndDestroy) s.resetAndDestroy();
    else s.destroy();
  }

  function runHandler(
    req: IncomingMessage,
    res: ServerResponse,
    route: RouteDef,
    params: Record<string, string>,
    query: URLSearchParams,
    entry: AccountEntry,
    headers: Record<string, string | number>,
    slot: number,
    key: string,
    fault: FaultDecision,
  ) {
    const finish = (body: unknown) => {
      let status: number;
      let out: unknown;
      const extra: Record<string, string> = {};
      try {
        const r = route.handler({
          method: route.method,
          template: route.template,
          params,
          query,
          headers: req.headers,
          body,
          account: entry.account,
        });
        status = r.status;
        out = r.body;
        if (r.headers) Object.assign(extra, r.headers);
      } catch (err) {
        if (err instanceof SimHttpError) {
          status = err.status;
          out = err.toBody();
        } else {
          ctx.logger.error({ err, route: key }, 'simulator handler failed');
          status = 500;
          out = { code: 50010000, message: 'internal server error' };
        }
      }
      if (fault.action?.kind === 'reset-after') {
        // The handler has committed (an order may exist now); the client never learns the outcome.
        counters.record(key, 'reset-after');
        destroy(req);
        return;
      }
      send(req, res, slot, key, status, out, Object.assign(headers, extra), route.host === 'data');
    };
    if (route.method === 'GET') return finish(undefined);
    readJsonBody(req, o.maxBodyBytes, (r) => {
      if (r.ok) return finish(r.body);
      counters.badRequests++;
      if (!r.drain) headers.Connection = 'close';
      send(req, res, slot, key, r.error.status, r.error.toBody(), headers);
    });
  }

  /** Takes one request from the bucket and sets the X-RateLimit-* headers; false when over the limit. */
  function rateLimit(bucket: RateBucket, headers: Record<string, string | number>, now: number): boolean {
    const d = bucket.take(now);
    headers['X-RateLimit-Limit'] = d.limit;
    headers['X-RateLimit-Remaining'] = d.remaining;
    headers['X-RateLimit-Reset'] = d.resetEpochS;
    if (!d.allowed && o.retryAfter) headers['Retry-After'] = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
    return d.allowed;
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    // Our own Date header comes from the injected clock, so Date and X-RateLimit-Reset agree even under a FakeClock.
    res.sendDate = false;
    const now = ctx.serverNow();
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const query = qi < 0 ? EMPTY_QUERY : new URLSearchParams(url.slice(qi + 1));
    if (path.startsWith('/_sim/')) {
      ctx.admin(req, res, path, query);
      return;
    }

    counters.requests++;
    const headers = baseHeaders(now);
    const match = router.match(req.method ?? 'GET', path);
    if (match.kind !== 'found') {
      const key = `${req.method} (unmatched)`;
      // A gateway counts every authenticated request, known path or not (the data host for data-looking paths).
      const entry = accounts.authenticate(req.headers['apca-api-key-id'], req.headers['apca-api-secret-key']);
      const slot = log.add(now, entry ? entry.index : -1, `unknown ${key}`);
      const bucket = entry?.buckets[/^\/v\d\w*\/stocks\//.test(path) ? 'data' : 'trading'];
      if (bucket && !rateLimit(bucket, headers, now)) {
        send(req, res, slot, key, 429, { code: 42910000, message: 'rate limit exceeded' }, headers);
        return;
      }
      if (match.kind === 'method-not-allowed') {
        headers.Allow = match.allowed.join(', ');
        send(req, res, slot, key, 405, { code: 40510000, message: 'method not allowed' }, headers);
        return;
      }
      send(req, res, slot, key, 404, { code: 40410000, message: 'endpoint not found' }, headers);
      return;
    }
    const { route, params } = match;
    const key = `${route.method} ${route.template}`;
    const entry = accounts.authenticate(req.headers['apca-api-key-id'], req.headers['apca-api-secret-key']);
    const slot = log.add(now, entry ? entry.index : -1, `${route.host} ${key}`);
    if (!entry) {
      counters.unauthorized++;
      if (route.host === 'trading')
        send(req, res, slot, key, 401, { code: 40110000, message: 'request is not authorized' }, headers);
      else send(req, res, slot, key, 403, { message: 'forbidden.' }, headers);
      return;
    }

    const bucket = entry.buckets[route.host];
    if (bucket && !rateLimit(bucket, headers, now)) {
      send(req, res, slot, key, 429, { code: 42910000, message: 'rate limit exceeded' }, headers);
      return;
    }

    const fault = ctx.faults.active ? ctx.faults.decide(route.method as Method, route.template, route.host) : undefined;
    if (!fault || (!fault.action && fault.latencyMs === 0)) {
      runHandler(req, res, route, params, query, entry, headers, slot, key, { latencyMs: 0 });
      return;
    }
    counters.faults++;
    const act = () => {
      const a = fault.action;
      if (!a || a.kind === 'reset-after') {
        runHandler(req, res, route, params, query, entry, headers, slot, key, fault);
        return;
      }
      if (a.kind === 'reset-before') {
        counters.record(key, 'reset-before');
        destroy(req);
        return;
      }
      if (a.kind === 'hang') {
        counters.record(key, 'hang');
        ctx.hanging.add(req);
        const t = ctx.clock.setTimeout(
          () => {
            ctx.hanging.delete(req);
            destroy(req);
          },
          (a.ms ?? 300_000) * o.timeScale,
        );
        req.socket.once('close', () => {
          ctx.hanging.delete(req);
          ctx.clock.clearTimeout(t);
        });
        return;
      }
      const fb = faultBody(a.status);
      headers['Content-Type'] = fb.type;
      headers['Content-Length'] = Buffer.byteLength(fb.body);
      counters.record(key, a.status);
      log.setStatus(slot, a.status);
      res.writeHead(a.status, headers);
      res.end(fb.body);
    };
    if (fault.latencyMs > 0) ctx.clock.setTimeout(act, fault.latencyMs * o.timeScale);
    else act();
  };
}

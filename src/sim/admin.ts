import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../core/errors.js';
import { readJsonBody, writeJson } from './http-io.js';

/** What the admin API (`/_sim/*`, never an Alpaca path, never rate limited) can do to the simulator. */
export interface AdminTarget {
  stats(): unknown;
  faults(): unknown;
  setFaults(rules: string | unknown[], mode: 'replace' | 'append'): void;
  clearFaults(): void;
  reset(): void;
  requests(afterSeq: number, limit: number): unknown;
  tradeEvents(accountIndex: number, afterSeq: number, limit: number): unknown;
  uptimeMs(): number;
}

function intParam(q: URLSearchParams, name: string, dflt: number, max: number): number {
  const v = q.get(name);
  if (v === null) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(name, `expected a non-negative integer, got "${v}"`);
  return Math.min(n, max);
}

export function createAdminHandler(target: AdminTarget, maxBodyBytes: number) {
  return (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void => {
    const reply = (status: number, body: unknown) =>
      writeJson(req, res, status, body, { 'Cache-Control': 'no-store' }, false);
    const fail = (err: unknown) => {
      if (err instanceof ConfigError) {
        reply(400, { code: 40010001, message: err.message, field: err.field });
        return;
      }
      reply(500, { code: 50010000, message: (err as Error).message });
      return;
    };
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case 'GET /_sim/health':
          reply(200, { status: 'ok', uptime_ms: Math.round(target.uptimeMs()) });
          return;
        case 'GET /_sim/stats':
          reply(200, target.stats());
          return;
        case 'GET /_sim/faults':
          reply(200, target.faults());
          return;
        case 'DELETE /_sim/faults':
          target.clearFaults();
          reply(200, target.faults());
          return;
        case 'GET /_sim/requests':
          reply(
            200,
            target.requests(
              intParam(query, 'after', 0, Number.MAX_SAFE_INTEGER),
              intParam(query, 'limit', 10_000, 100_000),
            ),
          );
          return;
        case 'GET /_sim/trade-events':
          reply(
            200,
            target.tradeEvents(
              intParam(query, 'account', 0, 1000),
              intParam(query, 'after', 0, Number.MAX_SAFE_INTEGER),
              intParam(query, 'limit', 1000, 10_000),
            ),
          );
          return;
        case 'POST /_sim/reset':
          target.reset();
          reply(200, { status: 'reset' });
          return;
        case 'POST /_sim/faults':
          readJsonBody(req, maxBodyBytes, (r) => {
            if (!r.ok) return reply(r.error.status, r.error.toBody());
            const b = r.body as { rules?: unknown; spec?: unknown; mode?: unknown } | undefined;
            try {
              const mode = b?.mode === 'append' ? 'append' : 'replace';
              if (typeof b?.spec === 'string') target.setFaults(b.spec, mode);
              else if (Array.isArray(b?.rules)) target.setFaults(b.rules, mode);
              else if (Array.isArray(b)) target.setFaults(b, 'replace');
              else throw new ConfigError('body', 'expected {"rules":[...]} or {"spec":"..."}');
              reply(200, target.faults());
            } catch (err) {
              fail(err);
            }
          });
          return;
        default:
          reply(404, { code: 40410000, message: `unknown admin endpoint ${route}` });
          return;
      }
    } catch (err) {
      fail(err);
    }
  };
}

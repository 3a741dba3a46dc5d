/**
 * Handler-level harness for simulator unit tests: routes a request through the real Router and a handler,
 * converting SimHttpError into the response the server would send. HTTP-level behaviour (auth, rate limits,
 * faults, body limits) is tested against the real server in server.test.ts.
 */
import { SimHttpError } from '../../src/sim/errors.js';
import { Router } from '../../src/sim/router.js';
import type { Method, RouteDef, SimAccount, SimResponse } from '../../src/sim/types.js';

export const demoAccount: SimAccount = {
  keyId: 'TESTKEY',
  secretKey: 'TESTSECRET',
  id: '11111111-2222-4333-8444-555555555555',
  accountNumber: 'PA1TESTACCT',
  createdAt: '2024-01-02T15:00:00Z',
  initialCash: 100_000,
};

export interface CallOptions {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  account?: SimAccount;
  headers?: Record<string, string>;
}

export function makeCaller(routes: RouteDef[]) {
  const router = new Router(routes);
  return (method: Method, pathAndQuery: string, opts: CallOptions = {}): SimResponse => {
    const url = new URL(pathAndQuery, 'http://sim.local');
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
    const m = router.match(method, url.pathname);
    if (m.kind !== 'found') return { status: m.kind === 'not-found' ? 404 : 405, body: { message: m.kind } };
    try {
      return m.route.handler({
        method,
        template: m.route.template,
        params: m.params,
        query: url.searchParams,
        headers: opts.headers ?? {},
        body: opts.body,
        account: opts.account ?? demoAccount,
      });
    } catch (err) {
      if (err instanceof SimHttpError) return { status: err.status, body: err.toBody() };
      throw err;
    }
  };
}

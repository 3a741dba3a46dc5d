import net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isCorralError } from '../../src/core/errors.js';
import {
  InvalidResponseError,
  NetworkError,
  RedirectRefusedError,
  ResponseTooLargeError,
  TimeoutError,
  Transport,
  TransportClosedError,
  TransportSaturatedError,
} from '../../src/http/index.js';
import { CORRAL_VERSION } from '../../src/http/version.js';
import { closedPort, startServer, type TestServer, testCert } from './test-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(handler: Parameters<typeof startServer>[0], tls = false): Promise<TestServer> {
  const s = await startServer(handler, { tls });
  cleanups.push(() => s.close());
  return s;
}

function transport(origin: string, extra: Record<string, unknown> = {}): Transport {
  const t = new Transport({ origin, ...extra });
  cleanups.push(() => t.destroy());
  return t;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const json = (res: import('node:http').ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

describe('Transport', () => {
  it('round-trips JSON and sends the default headers', async () => {
    const s = await server((req, res, body) => json(res, 201, { got: JSON.parse(body.toString()), url: req.url }));
    const t = transport(s.origin, { defaultHeaders: { 'APCA-API-KEY-ID': 'KEY1' } });
    const res = await t.request({
      method: 'POST',
      path: '/v2/orders',
      query: { a: 1, list: ['x', 'y'], skip: undefined },
      body: { symbol: 'AAPL', qty: '1' },
    });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ got: { symbol: 'AAPL', qty: '1' }, url: '/v2/orders?a=1&list=x&list=y' });
    expect(res.headers['content-type']).toBe('application/json');
    const seen = s.requests[0]!.headers;
    expect(seen['content-type']).toBe('application/json');
    expect(seen.accept).toBe('application/json');
    expect(seen['apca-api-key-id']).toBe('KEY1');
    expect(seen['user-agent']).toBe(`corral/${CORRAL_VERSION}`);
    expect(CORRAL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lets per-request headers and userAgent override the defaults', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const t = transport(s.origin, { userAgent: 'my-bot/2', defaultHeaders: { 'x-a': '1' } });
    await t.request({ method: 'GET', path: '/', headers: { 'X-A': '2', 'x-skip': undefined } });
    expect(s.requests[0]!.headers['user-agent']).toBe('my-bot/2');
    expect(s.requests[0]!.headers['x-a']).toBe('2');
    expect(s.requests[0]!.headers['x-skip']).toBeUndefined();
  });

  it('returns non-2xx statuses instead of throwing', async () => {
    const s = await server((_req, res) => json(res, 503, { message: 'down' }));
    const res = await transport(s.origin).request({ method: 'GET', path: '/x' });
    expect(res.status).toBe(503);
    expect(res.json()).toEqual({ message: 'down' });
  });

  it('reuses kept-alive connections for sequential requests', async () => {
    const s = await server((_req, res) => json(res, 200, { ok: true }));
    // One connection allowed: every request must wait for, and reuse, the same socket.
    const t = transport(s.origin, { connections: 1 });
    for (let i = 0; i < 3; i++) await t.request({ method: 'GET', path: `/r${i}` });
    expect(s.connections).toBe(1);
    expect(t.stats()).toMatchObject({ connected: 1, running: 0, pending: 0 });
    await expect.poll(() => t.stats().free).toBe(1); // undici marks the socket free once it has drained
    // With a larger pool undici may open a second socket while it validates an idle one, but no more.
    const wide = transport(s.origin);
    const before = s.connections;
    for (let i = 0; i < 6; i++) await wide.request({ method: 'GET', path: `/w${i}` });
    expect(s.connections - before).toBeLessThanOrEqual(2);
  });

  it('times out waiting for headers (ambiguous: the request was written)', async () => {
    const s = await server(() => {});
    const err = await rejection(
      transport(s.origin, { headersTimeoutMs: 50 }).request({ method: 'GET', path: '/s?k=1' }),
    );
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'CORRAL_TIMEOUT', phase: 'headers', timeoutMs: 50, maybeSent: true, path: '/s' });
  });

  it('times out when the body stalls', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const t = transport(s.origin);
    const err = await rejection(t.request({ method: 'GET', path: '/b', bodyTimeoutMs: 50 }));
    expect(err).toMatchObject({ code: 'CORRAL_TIMEOUT', phase: 'body', timeoutMs: 50, maybeSent: true });
  });

  it('enforces the total per-attempt deadline', async () => {
    const s = await server(() => {});
    const t = transport(s.origin, { headersTimeoutMs: 10_000 });
    const err = await rejection(t.request({ method: 'GET', path: '/t', timeoutMs: 50 }));
    expect(err).toMatchObject({ code: 'CORRAL_TIMEOUT', phase: 'total', timeoutMs: 50, maybeSent: true });
  });

  it('reports connection refused as NetworkError with maybeSent=false', async () => {
    const port = await closedPort();
    const err = await rejection(transport(`http://127.0.0.1:${port}`).request({ method: 'POST', path: '/v2/orders' }));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: 'CORRAL_NETWORK', maybeSent: false, causeCode: 'ECONNREFUSED' });
  });

  it('reports a reset after the request was written with maybeSent=true', async () => {
    const s = await server((req) => req.socket.resetAndDestroy());
    const err = await rejection(transport(s.origin).request({ method: 'POST', path: '/v2/orders', body: { a: 1 } }));
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).maybeSent).toBe(true);
    expect(s.requests).toHaveLength(1);
  });

  it('reports a socket closed after the request was written with maybeSent=true', async () => {
    const s = await server((req) => req.socket.destroy());
    const err = await rejection(transport(s.origin).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ code: 'CORRAL_NETWORK', maybeSent: true });
  });

  it('reports a connection dropped during the TLS handshake with maybeSent=false', async () => {
    const tcp = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => tcp.close(() => r())));
    const { port } = tcp.address() as net.AddressInfo;
    const err = await rejection(transport(`https://127.0.0.1:${port}`).request({ method: 'POST', path: '/v2/orders' }));
    expect(err).toMatchObject({ code: 'CORRAL_NETWORK', maybeSent: false });
  });

  it('verifies TLS: an untrusted certificate fails, the same server works once its CA is given', async () => {
    const s = await server((_req, res) => json(res, 200, { tls: true }), true);
    const err = await rejection(transport(s.origin).request({ method: 'GET', path: '/' }));
    expect(err).toMatchObject({ code: 'CORRAL_NETWORK', maybeSent: false });
    // The environment switch that disables verification process-wide has no effect on us.
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const again = await rejection(transport(s.origin).request({ method: 'GET', path: '/' }));
      expect(again).toMatchObject({ code: 'CORRAL_NETWORK', maybeSent: false });
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
    }
    expect(s.requests).toHaveLength(0);
    const res = await transport(s.origin, { ca: testCert.cert }).request({ method: 'GET', path: '/' });
    expect(res.json()).toEqual({ tls: true });
  });

  it('refuses redirects without contacting the Location host', async () => {
    const elsewhere = await server((_req, res) => json(res, 200, { stolen: true }));
    const s = await server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.origin}/collect?secret=abc` });
      res.end();
    });
    const err = await rejection(
      transport(s.origin, { defaultHeaders: { 'apca-api-secret-key': 'SECRETVALUE' } }).request({
        method: 'GET',
        path: '/v2/account',
      }),
    );
    expect(err).toBeInstanceOf(RedirectRefusedError);
    expect(err).toMatchObject({
      code: 'CORRAL_REDIRECT_REFUSED',
      status: 302,
      location: `127.0.0.1:${elsewhere.port}`,
    });
    expect((err as Error).message).not.toContain('secret');
    expect(elsewhere.requests).toHaveLength(0);
    expect(elsewhere.connections).toBe(0);
  });

  it('asks for gzip and decodes it', async () => {
    const payload = { bars: Array.from({ length: 200 }, (_, i) => ({ t: i, c: 100 + i })) };
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(JSON.stringify(payload)));
    });
    const res = await transport(s.origin).request({ method: 'GET', path: '/v2/stocks/bars' });
    expect(res.json()).toEqual(payload);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(s.requests[0]!.headers['accept-encoding']).toBe('gzip');
  });

  it('does not ask for gzip when acceptGzip is false', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    await transport(s.origin, { acceptGzip: false }).request({ method: 'GET', path: '/' });
    expect(s.requests[0]!.headers['accept-encoding']).toBeUndefined();
  });

  it('bounds the decompressed size (gzip bomb)', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync(Buffer.alloc(1_000_000)));
    });
    const err = await rejection(
      transport(s.origin, { maxResponseBytes: 65_536 }).request({ method: 'GET', path: '/' }),
    );
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ code: 'CORRAL_RESPONSE_TOO_LARGE', limitBytes: 65_536, status: 200 });
  });

  it('bounds plain bodies, declared or chunked', async () => {
    const big = Buffer.alloc(10_000, 120);
    const s = await server((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': String(big.length) });
      else res.writeHead(200); // chunked, no length
      res.end(big);
    });
    const t = transport(s.origin, { maxResponseBytes: 1_000 });
    for (const path of ['/declared', '/chunked']) {
      const err = await rejection(t.request({ method: 'GET', path }));
      expect(err).toMatchObject({ code: 'CORRAL_RESPONSE_TOO_LARGE' });
    }
    expect(
      (await transport(s.origin, { maxResponseBytes: 10_000 }).request({ method: 'GET', path: '/x' })).body,
    ).toEqual(big);
  });

  it('aborts through the signal and frees the socket', async () => {
    let arrived!: (socket: import('node:net').Socket) => void;
    const reached = new Promise<import('node:net').Socket>((r) => {
      arrived = r;
    });
    const s = await server((req) => arrived(req.socket));
    const t = transport(s.origin);
    const ac = new AbortController();
    const pending = rejection(t.request({ method: 'GET', path: '/slow', signal: ac.signal }));
    const serverSide = await reached;
    const reason = new Error('user cancelled');
    ac.abort(reason);
    expect(await pending).toBe(reason);
    await expect.poll(() => serverSide.destroyed).toBe(true);
    expect(t.stats()).toMatchObject({ running: 0, pending: 0 });
  });

  it('rejects at once for an already-aborted signal without contacting the server', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const err = await rejection(
      transport(s.origin).request({ method: 'GET', path: '/', signal: AbortSignal.abort(new Error('gone')) }),
    );
    expect((err as Error).message).toBe('gone');
    expect(s.connections).toBe(0);
  });

  it('sheds load beyond maxQueued', async () => {
    const s = await server(() => {});
    const t = transport(s.origin, { connections: 1, maxQueued: 0 });
    const ac = new AbortController();
    const first = rejection(t.request({ method: 'GET', path: '/1', signal: ac.signal }));
    const err = await rejection(t.request({ method: 'GET', path: '/2' }));
    expect(err).toBeInstanceOf(TransportSaturatedError);
    ac.abort();
    await first;
  });

  it('refuses requests after close()', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const t = transport(s.origin);
    await t.close();
    expect(await rejection(t.request({ method: 'GET', path: '/' }))).toBeInstanceOf(TransportClosedError);
  });

  it('validates request arguments with ConfigError naming the field', async () => {
    const t = transport('http://127.0.0.1:9');
    const cases: Array<[unknown, string]> = [
      [null, 'request'],
      [{ method: 'FETCH', path: '/' }, 'request.method'],
      [{ method: 'GET', path: 'https://evil.example/x' }, 'request.path'],
      [{ method: 'GET', path: '//evil.example/x' }, 'request.path'],
      [{ method: 'GET', path: '/', timeoutMs: -1 }, 'request.timeoutMs'],
      [{ method: 'GET', path: '/', bodyTimeoutMs: 2 ** 40 }, 'request.bodyTimeoutMs'],
      [{ method: 'POST', path: '/', body: { n: 1n } }, 'request.body'],
      [{ method: 'GET', path: '/', headers: { 'bad header': 'x' } }, 'request'],
    ];
    for (const [req, field] of cases) {
      const err = await rejection(t.request(req as never));
      expect(isCorralError(err) && err.code, field).toBe('CORRAL_CONFIG');
      expect((err as { field: string }).field).toBe(field);
    }
  });

  it('json() throws InvalidResponseError on malformed JSON and returns undefined for an empty body', async () => {
    const s = await server((req, res) => {
      res.writeHead(req.url === '/empty' ? 204 : 200);
      res.end(req.url === '/empty' ? undefined : '<html>');
    });
    const t = transport(s.origin);
    const bad = await t.request({ method: 'GET', path: '/bad' });
    expect(() => bad.json()).toThrow(InvalidResponseError);
    expect(bad.text()).toBe('<html>');
    expect((await t.request({ method: 'DELETE', path: '/empty' })).json()).toBeUndefined();
  });
});

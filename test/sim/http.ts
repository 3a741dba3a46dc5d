/** Real-socket helpers for simulator tests. */
import { Agent, request } from 'undici';
import type { Simulator } from '../../src/sim/index.js';

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: () => unknown;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Send no credentials. */
  anonymous?: boolean;
  keyId?: string;
  secretKey?: string;
  headersTimeout?: number;
}

export function httpClient(sim: Simulator) {
  const agent = new Agent({ connections: 8, keepAliveTimeout: 1000 });
  const info = sim.readyInfo();
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...o.headers };
    if (!o.anonymous) {
      headers['APCA-API-KEY-ID'] = o.keyId ?? info.keyId;
      headers['APCA-API-SECRET-KEY'] = o.secretKey ?? info.secretKey;
    }
    let body: string | Buffer | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    const r = await request(`${sim.url}${path}`, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: agent,
      headersTimeout: o.headersTimeout ?? 10_000,
    });
    const text = await r.body.text();
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) h[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return { status: r.statusCode, headers: h, text, json: () => JSON.parse(text) };
  };
  return { call, close: () => agent.close() };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { SimHttpError } from './errors.js';

export type BodyResult = { ok: true; body: unknown } | { ok: false; error: SimHttpError; drain: boolean };

/**
 * Reads and parses a JSON body, bounded by `maxBytes`. Never throws: bad input becomes an Alpaca-style 4xx.
 * An over-long body stops being read (`drain: false` tells the caller to close the connection after replying).
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number, cb: (r: BodyResult) => void): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    cb({ ok: false, error: tooLarge(maxBytes), drain: false });
    return;
  }
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined)) {
    cb({ ok: true, body: undefined });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  req.on('data', (c: Buffer) => {
    if (done) return;
    size += c.length;
    if (size > maxBytes) {
      done = true;
      cb({ ok: false, error: tooLarge(maxBytes), drain: false });
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return cb({ ok: true, body: undefined });
    try {
      cb({ ok: true, body: JSON.parse(text) });
    } catch (err) {
      cb({
        ok: false,
        error: new SimHttpError(400, 40010001, `request body is not valid JSON: ${(err as Error).message}`),
        drain: true,
      });
    }
  });
  req.on('error', () => {
    done = true;
  });
}

function tooLarge(max: number): SimHttpError {
  return new SimHttpError(413, 40010001, `request body exceeds ${max} bytes`);
}

let dateCacheSecond = Number.NaN;
let dateCacheValue = '';
/** RFC 7231 date for `wallMs`, cached per second (it is on the hot path). */
export function httpDate(wallMs: number): string {
  const s = Math.floor(wallMs / 1000);
  if (s !== dateCacheSecond) {
    dateCacheSecond = s;
    dateCacheValue = new Date(s * 1000).toUTCString();
  }
  return dateCacheValue;
}

/** Writes a JSON response; gzips large bodies when the client accepts it (Alpaca's data host does). */
export function writeJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number>,
  allowGzip: boolean,
): void {
  if (body === undefined || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  let payload: Buffer | string = JSON.stringify(body);
  headers['Content-Type'] = 'application/json; charset=UTF-8';
  if (allowGzip && payload.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    payload = gzipSync(payload, { level: 1 });
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  }
  headers['Content-Length'] = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  res.writeHead(status, headers);
  res.end(payload);
}

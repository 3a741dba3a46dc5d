/**
 * An undici dispatch handler that buffers one response within a byte limit. We use the low-level handler (not
 * `pool.request`) because only it reports `onRequestSent`, the fact that decides whether a failure is ambiguous.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { type Dispatcher, util as undiciUtil } from 'undici';
import { InvalidResponseError, RedirectRefusedError, ResponseTooLargeError } from './errors.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CollectorOptions {
  method: string;
  path: string;
  origin: string;
  maxResponseBytes: number;
  /** Maps an error undici reports (connect, socket, timeouts) to ours; called with the sent flag known. */
  mapError: (err: unknown, sent: boolean) => Error;
  /** Runs once undici has finished with the request (socket released), whatever the outcome. */
  onDone: () => void;
}

const decoders: Record<string, (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>,
};

/** Lower-cased single-value headers (repeats joined with ", "). */
export function normalizeHeaders(raw: Buffer[] | string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const [k, v] of Object.entries(undiciUtil.parseHeaders(raw))) {
    if (k === '__proto__') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function locationHost(location: string | undefined, origin: string): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, origin).host || undefined;
  } catch {
    return undefined;
  }
}

export class ResponseCollector implements Dispatcher.DispatchHandler {
  readonly promise: Promise<RawResponse>;
  /** The complete request was handed to the socket; from here on a failure may follow server-side processing. */
  sent = false;
  private resolveFn!: (r: RawResponse) => void;
  private rejectFn!: (e: unknown) => void;
  private settled = false;
  private finished = false;
  private abortFn: ((err?: Error) => void) | undefined;
  private pendingAbort: Error | undefined;
  private status = 0;
  private headers: Record<string, string> = {};
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly opts: CollectorOptions) {
    this.promise = new Promise<RawResponse>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  /** Fails the request with `reason` and tells undici to drop it (destroying the socket if it is in flight). */
  abort(reason: unknown): void {
    this.fail(reason);
    const err = reason instanceof Error ? reason : new Error('aborted');
    if (this.finished) return;
    if (this.abortFn) this.abortFn(err);
    else this.pendingAbort = err; // still queued in undici: it is dropped the moment it reaches a socket
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.pendingAbort) {
      abort(this.pendingAbort);
      return;
    }
    this.abortFn = abort;
  }

  onRequestSent(): void {
    this.sent = true;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null, _resume: () => void): boolean {
    if (this.settled || statusCode < 200) return true; // 1xx informational: the real answer follows
    const headers = normalizeHeaders(rawHeaders);
    const ref = { method: this.opts.method, path: this.opts.path };
    if (statusCode >= 300 && statusCode < 400) {
      // Never follow: the key headers would go wherever Location points.
      this.abort(new RedirectRefusedError(statusCode, locationHost(headers.location, this.opts.origin), ref));
      return false;
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.opts.maxResponseBytes) {
      this.abort(new ResponseTooLargeError(this.opts.maxResponseBytes, statusCode, ref));
      return false;
    }
    this.status = statusCode;
    this.headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return true;
    this.bytes += chunk.length;
    if (this.bytes > this.opts.maxResponseBytes) {
      const ref = { method: this.opts.method, path: this.opts.path };
      this.abort(new ResponseTooLargeError(this.opts.maxResponseBytes, this.status, ref));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish();
    if (this.settled) return;
    const raw = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.decode(raw).then(
      (body) => this.succeed({ status: this.status, headers: this.headers, body }),
      (err: unknown) => this.fail(err),
    );
  }

  onError(err: Error): void {
    this.finish();
    this.fail(this.opts.mapError(err, this.sent));
  }

  private async decode(raw: Buffer): Promise<Buffer> {
    const encoding = this.headers['content-encoding']?.trim().toLowerCase();
    const decoder = encoding ? decoders[encoding] : undefined;
    if (!decoder || raw.length === 0) return raw;
    const ref = { method: this.opts.method, path: this.opts.path };
    try {
      return await decoder(raw, { maxOutputLength: this.opts.maxResponseBytes });
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ResponseTooLargeError(this.opts.maxResponseBytes, this.status, ref);
      }
      throw new InvalidResponseError(`cannot decode ${encoding} body`, this.status, { ...ref, cause: err });
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.opts.onDone();
  }

  private succeed(r: RawResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn(r);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.rejectFn(err);
  }
}

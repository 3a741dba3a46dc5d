/**
 * Errors of the HTTP layer. Every class has a stable `code`; branch on it (or on the guards below, which also work
 * across duplicated installs), never on `message`. No message ever contains a credential: paths carry no query string
 * and bodies are quoted through src/core/redact.ts.
 */
import { CorralError, isCorralError } from '../core/errors.js';
import { quoteBody, redactText } from '../core/redact.js';
import { serverDelayMs } from './server-delay.js';

/** Which request a transport-level error belongs to (path without the query string). */
export interface RequestRef {
  method?: string;
  path?: string;
}

/** Strips the query string (and fragment) so secrets passed as parameters never reach an error or a log. */
export function pathOnly(path: string): string {
  const i = path.search(/[?#]/);
  return i < 0 ? path : path.slice(0, i);
}

function where(ref: RequestRef): string {
  return ref.method && ref.path ? `${ref.method} ${pathOnly(ref.path)}: ` : '';
}

export interface AlpacaApiErrorInit {
  status: number;
  method: string;
  /** Request path; any query string is removed. */
  path: string;
  /** Alpaca's message, or `HTTP <status>` when the body has none. */
  message: string;
  /** Alpaca's numeric body code, e.g. 40310000. */
  alpacaCode?: number;
  /** The X-Request-ID response header. */
  requestId?: string;
  /** Raw body text (quoted to 500 characters and redacted here). */
  body?: string;
  /** Wait the server asked for (Retry-After / X-RateLimit-Reset), in ms. */
  retryAfterMs?: number;
  /** Strings (API secret, key id, tokens) to scrub from the message and body. */
  secrets?: Iterable<string | undefined>;
}

/** A non-2xx answer from the API. `code` is ours; Alpaca's numeric code is `alpacaCode`. */
export class AlpacaApiError extends CorralError {
  readonly code = 'CORRAL_API_ERROR';
  readonly status: number;
  readonly alpacaCode?: number;
  readonly requestId?: string;
  /** Body quoted to at most 500 characters, secrets redacted. */
  readonly body: string;
  readonly method: string;
  readonly path: string;
  readonly retryAfterMs?: number;

  constructor(init: AlpacaApiErrorInit) {
    const secrets = init.secrets ? [...init.secrets] : [];
    super(quoteBody(init.message, secrets, 500));
    this.status = init.status;
    this.method = init.method;
    this.path = pathOnly(init.path);
    this.body = quoteBody(init.body ?? '', secrets, 500);
    if (init.alpacaCode !== undefined) this.alpacaCode = init.alpacaCode;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /**
   * Builds the error from a response, reading Alpaca's `{"code": N, "message": "..."}` body when present.
   * Pass `wallNowMs` (clock.wallNow()) to derive `retryAfterMs` from Retry-After / X-RateLimit-Reset.
   */
  static fromResponse(res: {
    method: string;
    path: string;
    status: number;
    headers: Readonly<Record<string, string>>;
    body: Buffer | string;
    retryAfterMs?: number;
    wallNowMs?: number;
    secrets?: Iterable<string | undefined>;
  }): AlpacaApiError {
    // Only the head of a huge body is ever quoted, so decode no more than needed.
    const text = typeof res.body === 'string' ? res.body : res.body.subarray(0, 64 * 1024).toString('utf8');
    let message = `HTTP ${res.status}`;
    let alpacaCode: number | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') {
        const o = parsed as Record<string, unknown>;
        if (typeof o.message === 'string' && o.message !== '') message = o.message;
        if (typeof o.code === 'number' && Number.isFinite(o.code)) alpacaCode = o.code;
      }
    } catch {
      if (text.trim() !== '') message = text.trim();
    }
    return new AlpacaApiError({
      status: res.status,
      method: res.method,
      path: res.path,
      message,
      alpacaCode,
      requestId: res.headers['x-request-id'],
      body: text,
      retryAfterMs:
        res.retryAfterMs ??
        (res.wallNowMs === undefined ? undefined : serverDelayMs(res.status, res.headers, res.wallNowMs)),
      secrets: res.secrets,
    });
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'total';

/** An attempt ran out of time. `maybeSent` tells whether the server may have received (and acted on) it. */
export class TimeoutError extends CorralError {
  readonly code = 'CORRAL_TIMEOUT';
  readonly maybeSent: boolean;
  readonly method?: string;
  readonly path?: string;
  constructor(
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
    options: RequestRef & { maybeSent: boolean; cause?: unknown },
  ) {
    super(`${where(options)}${phase} timeout after ${timeoutMs} ms`, { cause: options.cause });
    this.maybeSent = options.maybeSent;
    if (options.method !== undefined) this.method = options.method;
    if (options.path !== undefined) this.path = pathOnly(options.path);
  }
}

/**
 * The connection failed. `maybeSent` is false when the request provably never left (refused, DNS, connect timeout)
 * and true once it was written to a socket (a reset after that may come after the server acted on it).
 */
export class NetworkError extends CorralError {
  readonly code = 'CORRAL_NETWORK';
  readonly maybeSent: boolean;
  /** The underlying error code, e.g. `ECONNREFUSED` or `UND_ERR_SOCKET`. */
  readonly causeCode?: string;
  readonly method?: string;
  readonly path?: string;
  constructor(message: string, options: RequestRef & { maybeSent: boolean; cause?: unknown; causeCode?: string }) {
    super(`${where(options)}${message}`, { cause: options.cause });
    this.maybeSent = options.maybeSent;
    if (options.causeCode !== undefined) this.causeCode = options.causeCode;
    if (options.method !== undefined) this.method = options.method;
    if (options.path !== undefined) this.path = pathOnly(options.path);
  }
}

/** A circuit breaker refused the call without sending it. Try again after `retryAfterMs`. */
export class CircuitOpenError extends CorralError {
  readonly code = 'CORRAL_CIRCUIT_OPEN';
  constructor(
    readonly breaker: string,
    readonly retryAfterMs: number,
    readonly state: 'open' | 'half-open',
  ) {
    super(
      state === 'open'
        ? `circuit "${breaker}" is open; retry in ${Math.ceil(retryAfterMs)} ms`
        : `circuit "${breaker}" is half-open and all probe slots are taken; retry in ${Math.ceil(retryAfterMs)} ms`,
    );
  }
}

/** The server answered 3xx. Redirects are never followed: they would carry the key headers to another host. */
export class RedirectRefusedError extends CorralError {
  readonly code = 'CORRAL_REDIRECT_REFUSED';
  readonly method?: string;
  readonly path?: string;
  constructor(
    readonly status: number,
    /** Host of the Location header only (never its path or query), or undefined when absent or unparsable. */
    readonly location: string | undefined,
    ref: RequestRef = {},
  ) {
    super(`${where(ref)}refused to follow redirect ${status}${location ? ` to host ${location}` : ''}`);
    if (ref.method !== undefined) this.method = ref.method;
    if (ref.path !== undefined) this.path = pathOnly(ref.path);
  }
}

/** The (decoded) response body exceeded `maxResponseBytes`. */
export class ResponseTooLargeError extends CorralError {
  readonly code = 'CORRAL_RESPONSE_TOO_LARGE';
  readonly method?: string;
  readonly path?: string;
  constructor(
    readonly limitBytes: number,
    readonly status: number,
    ref: RequestRef = {},
  ) {
    super(`${where(ref)}response body exceeds ${limitBytes} bytes`);
    if (ref.method !== undefined) this.method = ref.method;
    if (ref.path !== undefined) this.path = pathOnly(ref.path);
  }
}

/** The response could not be decoded (bad gzip stream, invalid JSON). */
export class InvalidResponseError extends CorralError {
  readonly code = 'CORRAL_INVALID_RESPONSE';
  readonly method?: string;
  readonly path?: string;
  constructor(
    reason: string,
    readonly status: number,
    ref: RequestRef & { cause?: unknown; secrets?: Iterable<string | undefined> } = {},
  ) {
    super(`${where(ref)}${redactText(reason, ref.secrets ?? [])}`, { cause: ref.cause });
    if (ref.method !== undefined) this.method = ref.method;
    if (ref.path !== undefined) this.path = pathOnly(ref.path);
  }
}

/** More requests are waiting for a connection than `maxQueued` allows; shed load instead of queueing forever. */
export class TransportSaturatedError extends CorralError {
  readonly code = 'CORRAL_TRANSPORT_SATURATED';
  constructor(readonly maxQueued: number) {
    super(`transport queue is full (${maxQueued} requests waiting for a connection)`);
  }
}

/** `request()` was called after `close()`. */
export class TransportClosedError extends CorralError {
  readonly code = 'CORRAL_TRANSPORT_CLOSED';
  constructor() {
    super('transport is closed');
  }
}

function hasCode(value: unknown, code: string): boolean {
  return isCorralError(value) && value.code === code;
}

export const isAlpacaApiError = (e: unknown): e is AlpacaApiError => hasCode(e, 'CORRAL_API_ERROR');
export const isTimeoutError = (e: unknown): e is TimeoutError => hasCode(e, 'CORRAL_TIMEOUT');
export const isNetworkError = (e: unknown): e is NetworkError => hasCode(e, 'CORRAL_NETWORK');
export const isCircuitOpenError = (e: unknown): e is CircuitOpenError => hasCode(e, 'CORRAL_CIRCUIT_OPEN');
export const isRedirectRefusedError = (e: unknown): e is RedirectRefusedError => hasCode(e, 'CORRAL_REDIRECT_REFUSED');
export const isResponseTooLargeError = (e: unknown): e is ResponseTooLargeError =>
  hasCode(e, 'CORRAL_RESPONSE_TOO_LARGE');

/** True for aborts: corral's AbortedError, or a DOM-style `AbortError` (what AbortSignal reasons usually are). */
export function isAbortError(e: unknown): boolean {
  if (hasCode(e, 'CORRAL_ABORTED')) return true;
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/** Whether a failed attempt may have reached the server (only network and timeout errors can say "no"). */
export function mayHaveBeenSent(e: unknown): boolean {
  if (isNetworkError(e) || isTimeoutError(e)) return e.maybeSent;
  if (isCircuitOpenError(e) || hasCode(e, 'CORRAL_TRANSPORT_SATURATED') || hasCode(e, 'CORRAL_TRANSPORT_CLOSED')) {
    return false;
  }
  return true;
}

/**
 * Maps undici / Node socket errors to corral's typed errors, deciding `maybeSent` from what the handler saw:
 * a request that never reached `onRequestSent` cannot have been processed.
 */
import { ConfigError } from '../core/errors.js';
import { NetworkError, TimeoutError, TransportClosedError } from './errors.js';

/** Failures that happen before a single byte of the request can leave: the request was provably not sent. */
const NEVER_SENT = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
]);

export interface ErrorContext {
  method: string;
  path: string;
  /** The request was handed to a socket completely (`onRequestSent`). */
  sent: boolean;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  return typeof m === 'string' && m !== '' ? m : 'socket error';
}

/** The corral error for an error undici reported to the dispatch handler. */
export function toTransportError(err: unknown, ctx: ErrorContext): Error {
  const code = errorCode(err);
  const ref = { method: ctx.method, path: ctx.path, cause: err };
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TimeoutError('connect', ctx.connectTimeoutMs, { ...ref, maybeSent: false });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TimeoutError('headers', ctx.headersTimeoutMs, { ...ref, maybeSent: true });
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError('body', ctx.bodyTimeoutMs, { ...ref, maybeSent: true });
    case 'UND_ERR_INVALID_ARG':
      // undici rejects bad header names/values and similar caller mistakes; its messages carry no values.
      return new ConfigError('request', errorMessage(err));
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      if (!ctx.sent) return new TransportClosedError();
      break;
  }
  const maybeSent = code !== undefined && NEVER_SENT.has(code) ? false : ctx.sent;
  return new NetworkError(errorMessage(err), { ...ref, maybeSent, causeCode: code });
}

/**
 * Field readers for request bodies and query strings. Every failure is a SimHttpError naming the field
 * (422 `{"code":40010001,"message":"invalid side"}`), never a crash on odd JSON.
 */
import { badRequest, unprocessable } from '../errors.js';

export type JsonObject = Record<string, unknown>;

/** Decimal inputs larger than this are refused, which keeps every later toFixed() out of exponent notation. */
const MAX_DECIMAL = 1e15;
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function requireObject(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('request body format is invalid');
  }
  return body as JsonObject;
}

export interface DecimalInput {
  value: number;
  /** Significant decimal places as written (trailing zeros ignored): "1.50" → 1. */
  places: number;
}

function countPlaces(text: string): number {
  const e = text.search(/e/i);
  if (e >= 0) {
    // JSON numbers such as 1e-7 arrive as numbers and stringify in exponent form.
    const exp = Number(text.slice(e + 1));
    return Math.max(0, countPlaces(text.slice(0, e)) - exp);
  }
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text[end - 1] === '0') end--;
  return end - dot - 1;
}

/** A decimal field given as a JSON number or a decimal string; `undefined` when absent, null or "". */
export function decimalField(obj: JsonObject, name: string, label = name): DecimalInput | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw unprocessable(`invalid ${label}`);
    text = String(v);
  } else if (typeof v === 'string') {
    text = v.trim();
    if (text === '') return undefined;
    if (!DECIMAL_RE.test(text)) throw unprocessable(`invalid ${label}`);
  } else {
    throw unprocessable(`invalid ${label}`);
  }
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > MAX_DECIMAL) throw unprocessable(`invalid ${label}`);
  return { value, places: countPlaces(text) };
}

/** A string enum field (case-insensitive); `undefined` when absent or null. */
export function enumField<T extends string>(
  obj: JsonObject,
  name: string,
  allowed: readonly T[],
  label = name,
): T | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw unprocessable(`invalid ${label}`);
  const lower = v.toLowerCase() as T;
  if (!allowed.includes(lower)) throw unprocessable(`invalid ${label}`);
  return lower;
}

export function boolField(obj: JsonObject, name: string): boolean | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw unprocessable(`invalid ${name}`);
}

export function stringField(obj: JsonObject, name: string): string | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw unprocessable(`invalid ${name}`);
  return v;
}

/** A nested object field such as `take_profit`; `undefined` when absent or null. */
export function objectField(obj: JsonObject, name: string): JsonObject | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw unprocessable(`invalid ${name}`);
  return v as JsonObject;
}

/** A positive price with Alpaca's tick rule: 2 decimals at or above $1, 4 below. */
export function priceField(obj: JsonObject, name: string, label = name): number | undefined {
  const d = decimalField(obj, name, label);
  if (!d) return undefined;
  if (!(d.value > 0)) throw unprocessable(`${label} must be > 0`);
  if (d.places > (d.value >= 1 ? 2 : 4)) {
    throw unprocessable(`invalid ${label} ${d.value}. sub-penny increment does not fulfill minimum pricing criteria`);
  }
  return d.value;
}

/** A client_order_id: string of at most 128 characters; `undefined` when absent or "". */
export function clientOrderIdField(obj: JsonObject): string | undefined {
  const cid = stringField(obj, 'client_order_id');
  if (cid === undefined || cid === '') return undefined;
  if (cid.length > 128) throw unprocessable('client_order_id must be no more than 128 characters');
  return cid;
}

// Query strings.

export function queryEnum<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[], dflt: T): T {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  const lower = v.toLowerCase() as T;
  if (!allowed.includes(lower)) throw unprocessable(`invalid ${name}`);
  return lower;
}

export function queryBool(q: URLSearchParams, name: string, dflt: boolean): boolean {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  throw unprocessable(`invalid ${name}`);
}

export function queryInt(q: URLSearchParams, name: string, min: number, max: number, dflt: number): number {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  const n = /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw unprocessable(`${name} must be between ${min} and ${max}`);
  return n;
}

/**
 * Keeps secrets out of logs, errors, metrics and reports. Header names are matched case-insensitively.
 */

/** Headers whose values are never shown. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'apca-api-secret-key',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-corral-token',
]);

export const REDACTED = '[REDACTED]';

/** A copy of `headers` with secret values replaced by `[REDACTED]`. */
export function redactHeaders(
  headers: Record<string, string | string[] | number | undefined> | undefined,
): Record<string, string | string[] | number | undefined> {
  const out: Record<string, string | string[] | number | undefined> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}

/** Replaces every occurrence of each secret (of at least 4 characters) in `text`. */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** First `max` characters of `text` (with an ellipsis marker), secrets removed. */
export function quoteBody(text: string, secrets: Iterable<string | undefined> = [], max = 500): string {
  const clean = redactText(text, secrets);
  return clean.length > max ? `${clean.slice(0, max)}…[${clean.length - max} more chars]` : clean;
}

/** Shows only the first 4 characters of an identifier such as an API key id. */
export function maskId(id: string | undefined): string {
  if (!id) return '';
  return id.length <= 4 ? '****' : `${id.slice(0, 4)}****`;
}

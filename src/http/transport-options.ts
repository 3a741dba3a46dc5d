import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { parseConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_USER_AGENT } from './version.js';

/** Options of {@link Transport}. Defaults follow the seed client (pool of 10, 5 s connect, 30 s read). */
export interface TransportOptions {
  /** `http://` or `https://` origin (scheme, host, optional port); no path, query or credentials. */
  origin: string;
  /** Maximum sockets to the origin. Finite on purpose (undici's default is unlimited). @default 10 */
  connections?: number;
  /** Requests in flight per socket (HTTP/1.1 pipelining); 1 keeps a slow response from blocking others. @default 1 */
  pipelining?: number;
  /** Idle time after which a kept-alive socket is closed; below typical load-balancer idle timeouts. @default 10_000 */
  keepAliveTimeoutMs?: number;
  /** Upper bound for a server's `Keep-Alive: timeout=` hint. @default 20_000 */
  keepAliveMaxTimeoutMs?: number;
  /** Time to establish the TCP (+TLS) connection. @default 5_000 */
  connectTimeoutMs?: number;
  /** Time from the request being written to the complete response headers. @default 30_000 */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks. @default 30_000 */
  bodyTimeoutMs?: number;
  /** Deadline for a whole attempt (queueing, connect, headers and body), measured on `clock`. @default 60_000 */
  timeoutMs?: number;
  /** Largest response body accepted, after decompression. @default 67_108_864 (64 MiB) */
  maxResponseBytes?: number;
  /** Requests allowed to wait for a connection beyond those running; more fail with TransportSaturatedError. @default 1_000 */
  maxQueued?: number;
  /** User-Agent header. @default 'corral/<version>' */
  userAgent?: string;
  /** Headers sent with every request (per-request headers win). @default {} */
  defaultHeaders?: Record<string, string>;
  /** Send `Accept-Encoding: gzip` (responses are decoded within `maxResponseBytes`). @default true */
  acceptGzip?: boolean;
  /** Extra trusted CA certificates (PEM), e.g. for a local simulator over TLS. Verification itself stays on. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Clock for the total deadline. @default systemClock */
  clock?: Clock;
}

/** Option names that exist elsewhere to turn TLS verification off; we refuse them by name. */
const TLS_DISABLING = new Set(['rejectUnauthorized', 'insecure', 'checkServerIdentity', 'tls', 'connect']);

const headerName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid header name');
const headerText = z.string().refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL');
const ms = (max: number) => z.number().int('must be an integer').positive().max(max);
const caEntry = z.union([z.string().min(1), z.instanceof(Buffer)]);

const schema = z.object({
  origin: z.string().superRefine((value, ctx) => {
    const problem = originProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  connections: z.number().int().min(1).max(1024).default(10),
  pipelining: z.number().int().min(1).max(16).default(1),
  keepAliveTimeoutMs: ms(3_600_000).default(10_000),
  keepAliveMaxTimeoutMs: ms(3_600_000).default(20_000),
  connectTimeoutMs: ms(600_000).default(5_000),
  headersTimeoutMs: ms(3_600_000).default(30_000),
  bodyTimeoutMs: ms(3_600_000).default(30_000),
  timeoutMs: ms(3_600_000).default(60_000),
  maxResponseBytes: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(64 * 1024 * 1024),
  maxQueued: z.number().int().min(0).max(1_000_000).default(1_000),
  userAgent: headerText.pipe(z.string().min(1)).default(DEFAULT_USER_AGENT),
  defaultHeaders: z.record(headerName, headerText).default({}),
  acceptGzip: z.boolean().default(true),
  ca: z.union([caEntry, z.array(caEntry).min(1)]).optional(),
  clock: z
    .custom<Clock>((v) => typeof v === 'object' && v !== null && typeof (v as Clock).now === 'function', {
      message: 'must be a Clock',
    })
    .optional(),
});

export type ResolvedTransportOptions = z.output<typeof schema>;

/** Why `value` is not an acceptable origin, or undefined. Never echoes the value (it could hold credentials). */
function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL such as https://api.alpaca.markets';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.pathname !== '/' || url.search || url.hash) return 'must be an origin only (no path, query or fragment)';
  return undefined;
}

/** Validates transport options; throws ConfigError naming the field (`transport.connectTimeoutMs`, ...). */
export function parseTransportOptions(input: unknown, name = 'transport'): ResolvedTransportOptions {
  if (typeof input === 'object' && input !== null) {
    const known = schema.keyof().options as readonly string[];
    for (const key of Object.keys(input)) {
      if (TLS_DISABLING.has(key)) {
        throw new ConfigError(`${name}.${key}`, 'not supported: TLS verification can never be disabled (use ca)');
      }
      if (!known.includes(key)) throw new ConfigError(`${name}.${key}`, 'unknown option');
    }
  }
  const parsed = parseConfig(schema, input, name);
  if (parsed.keepAliveMaxTimeoutMs < parsed.keepAliveTimeoutMs) {
    throw new ConfigError(`${name}.keepAliveMaxTimeoutMs`, 'must be at least keepAliveTimeoutMs');
  }
  return parsed;
}

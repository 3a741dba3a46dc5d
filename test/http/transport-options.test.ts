import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseTransportOptions, Transport } from '../../src/http/index.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('transport options', () => {
  it('applies the documented defaults', () => {
    const o = parseTransportOptions({ origin: 'https://paper-api.alpaca.markets' });
    expect(o).toMatchObject({
      connections: 10,
      pipelining: 1,
      keepAliveTimeoutMs: 10_000,
      keepAliveMaxTimeoutMs: 20_000,
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 30_000,
      bodyTimeoutMs: 30_000,
      timeoutMs: 60_000,
      maxResponseBytes: 64 * 1024 * 1024,
      maxQueued: 1_000,
      acceptGzip: true,
      defaultHeaders: {},
    });
    expect(o.userAgent).toMatch(/^corral\/\d+\.\d+\.\d+/);
  });

  it.each([
    [{ origin: 'ftp://example.com' }, 'transport.origin'],
    [{ origin: 'not a url' }, 'transport.origin'],
    [{ origin: 'https://example.com/v2' }, 'transport.origin'],
    [{ origin: 'https://example.com?x=1' }, 'transport.origin'],
    [{}, 'transport.origin'],
    [{ origin: 'https://example.com', connections: 0 }, 'transport.connections'],
    [{ origin: 'https://example.com', connections: 2.5 }, 'transport.connections'],
    [{ origin: 'https://example.com', connectTimeoutMs: -1 }, 'transport.connectTimeoutMs'],
    [{ origin: 'https://example.com', headersTimeoutMs: '5s' }, 'transport.headersTimeoutMs'],
    [{ origin: 'https://example.com', maxResponseBytes: 0 }, 'transport.maxResponseBytes'],
    [{ origin: 'https://example.com', acceptGzip: 'yes' }, 'transport.acceptGzip'],
    [{ origin: 'https://example.com', defaultHeaders: { 'bad name': 'x' } }, 'transport.defaultHeaders.bad name'],
    [{ origin: 'https://example.com', defaultHeaders: { x: 'a\r\nb' } }, 'transport.defaultHeaders.x'],
    [{ origin: 'https://example.com', keepAliveTimeoutMs: 30_000 }, 'transport.keepAliveMaxTimeoutMs'],
    [{ origin: 'https://example.com', rejectUnauthorized: false }, 'transport.rejectUnauthorized'],
    [{ origin: 'https://example.com', connect: { rejectUnauthorized: false } }, 'transport.connect'],
    [{ origin: 'https://example.com', conections: 3 }, 'transport.conections'],
  ])('rejects %j naming %s', (input, field) => {
    const err = configError(() => new Transport(input as never));
    expect(err.code).toBe('CORRAL_CONFIG');
    expect(err.field).toBe(field);
  });

  it('says why TLS options are refused', () => {
    const err = configError(() => parseTransportOptions({ origin: 'https://x.test', rejectUnauthorized: false }));
    expect(err.reason).toContain('TLS verification can never be disabled');
  });

  it('never echoes credentials embedded in the origin', () => {
    const err = configError(() => parseTransportOptions({ origin: 'https://user:hunter2secret@example.com' }));
    expect(err.field).toBe('transport.origin');
    expect(err.message).not.toContain('hunter2secret');
  });
});

import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/alpaca/index.js';
import { ConfigError } from '../../src/core/errors.js';

const ok = { keyId: 'K', secretKey: 'S', env: {} };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('createClient options', () => {
  it('names the missing credential', () => {
    expect(configError(() => createClient({ env: {} })).field).toBe('keyId');
    expect(configError(() => createClient({ keyId: 'K', env: {} })).field).toBe('secretKey');
  });

  it('reads the APCA_* environment variables the Alpaca SDKs use', async () => {
    const c = createClient({
      env: {
        APCA_API_KEY_ID: 'K',
        APCA_API_SECRET_KEY: 'S',
        APCA_API_BASE_URL: 'http://127.0.0.1:1',
        APCA_API_DATA_URL: 'http://127.0.0.1:2',
      },
    });
    await c.close();
  });

  it('is paper by default and refuses live trading unless asked explicitly', async () => {
    const e = configError(() => createClient({ ...ok, env: { APCA_API_BASE_URL: 'https://api.alpaca.markets' } }));
    expect(e.field).toBe('APCA_API_BASE_URL');
    expect(e.message).toMatch(/live: true/);
    expect(configError(() => createClient({ ...ok, tradingUrl: 'https://api.alpaca.markets' })).field).toBe(
      'tradingUrl',
    );
    expect(
      configError(() => createClient({ ...ok, live: true, tradingUrl: 'https://paper-api.alpaca.markets' })).field,
    ).toBe('live');
    await createClient({ ...ok, live: true }).close();
    await createClient(ok).close();
  });

  it('refuses plain http except to loopback, and URLs with credentials', () => {
    expect(configError(() => createClient({ ...ok, tradingUrl: 'http://example.com' })).field).toBe('tradingUrl');
    expect(configError(() => createClient({ ...ok, dataUrl: 'https://u:p@data.example.com' })).field).toBe('dataUrl');
    expect(configError(() => createClient({ ...ok, dataUrl: 'not a url' })).field).toBe('dataUrl');
  });

  it('validates transport, retry, breaker and limiter options by field', () => {
    expect(configError(() => createClient({ ...ok, transport: { connections: 0 } })).field).toMatch(/connections/);
    expect(configError(() => createClient({ ...ok, retry: { maxAttempts: 0 } })).field).toMatch(/maxAttempts/);
    expect(
      configError(() => createClient({ ...ok, rateLimit: { trading: { windows: [{ limit: -1, windowMs: 1000 }] } } }))
        .field,
    ).toMatch(/windows/);
    expect(configError(() => createClient({ ...ok, orders: { budgetMs: -5 } })).field).toBe('ordersBudgetMs');
  });

  it('never puts the secret in an error', () => {
    const e = configError(() =>
      createClient({ keyId: 'K', secretKey: 'super-secret-value', tradingUrl: 'http://example.com', env: {} }),
    );
    expect(e.message).not.toContain('super-secret-value');
  });
});

import { describe, expect, it } from 'vitest';
import { headerValue, rateLimitResetMs, retryAfterMs, serverDelayMs } from '../../src/http/index.js';

const NOW = Date.UTC(2024, 6, 23, 14, 0, 0);
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('server delay hints', () => {
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': httpDate(NOW + 10_000) }, 10_000],
    [{ 'retry-after': httpDate(NOW - 10_000) }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': '999999999' }, undefined], // absurd: ignored rather than obeyed
    [{}, undefined],
  ])('Retry-After %j → %s ms', (headers, expected) => {
    expect(retryAfterMs(headers, NOW)).toBe(expected);
  });

  it('measures an HTTP-date against the response Date header (clock skew)', () => {
    // Our clock is 5 minutes fast; the server says "retry 10 s after my now".
    const serverNow = NOW - 300_000;
    const headers = { date: httpDate(serverNow), 'retry-after': httpDate(serverNow + 10_000) };
    expect(retryAfterMs(headers, NOW)).toBe(10_000);
  });

  it('reads X-RateLimit-Reset as epoch seconds, case-insensitively', () => {
    expect(rateLimitResetMs({ 'x-ratelimit-reset': String((NOW + 7000) / 1000) }, NOW)).toBe(7000);
    expect(rateLimitResetMs({ 'X-Ratelimit-Reset': String((NOW + 2000) / 1000) }, NOW)).toBe(2000);
    expect(rateLimitResetMs({ 'x-ratelimit-reset': String((NOW - 2000) / 1000) }, NOW)).toBe(0);
    const skewed = { date: httpDate(NOW - 60_000), 'x-ratelimit-reset': String((NOW - 60_000 + 4000) / 1000) };
    expect(rateLimitResetMs(skewed, NOW)).toBe(4000);
    expect(headerValue({ 'X-Request-Id': ['a', 'b'] }, 'x-request-id')).toBe('a');
  });

  it('uses X-RateLimit-Reset only for 429, and the larger hint when both are given', () => {
    const headers = { 'retry-after': '2', 'x-ratelimit-reset': String((NOW + 5000) / 1000) };
    expect(serverDelayMs(429, headers, NOW)).toBe(5000);
    expect(serverDelayMs(503, headers, NOW)).toBe(2000);
    expect(serverDelayMs(429, { 'x-ratelimit-reset': String((NOW + 5000) / 1000) }, NOW)).toBe(5000);
    expect(serverDelayMs(503, {}, NOW)).toBeUndefined();
  });
});

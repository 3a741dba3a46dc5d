import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders, parseRetryAfter } from '../../src/core/headers.js';
import { ServerClock } from '../../src/limit/server-clock.js';

const DATE = 'Tue, 23 Jul 2024 14:00:00 GMT';
const DATE_MS = Date.UTC(2024, 6, 23, 14, 0, 0);

describe('parseRateLimitHeaders', () => {
  const cases: Array<[string, Parameters<typeof parseRateLimitHeaders>[0], ReturnType<typeof parseRateLimitHeaders>]> =
    [
      [
        'spec casing (X-RateLimit-*)',
        { 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '195', 'X-RateLimit-Reset': '1721743260' },
        { limit: 200, remaining: 195, resetEpochS: 1721743260 },
      ],
      [
        'forum casing (X-Ratelimit-*) and numbers',
        { 'X-Ratelimit-Limit': 200, 'X-Ratelimit-Remaining': 0, 'X-Ratelimit-Reset': 1721743260 },
        { limit: 200, remaining: 0, resetEpochS: 1721743260 },
      ],
      [
        'lower case (Broker docs), arrays and comma-joined duplicates',
        { 'x-ratelimit-limit': ['200', '200'], 'x-ratelimit-remaining': '7, 7' },
        { limit: 200, remaining: 7 },
      ],
      [
        'fetch Headers',
        new Headers({ 'x-ratelimit-limit': '1000', date: DATE, 'retry-after': '3' }),
        { limit: 1000, dateEpochMs: DATE_MS, retryAfter: { kind: 'delay', ms: 3000 } },
      ],
      [
        'bad values are ignored',
        {
          'X-RateLimit-Limit': '0',
          'X-RateLimit-Remaining': '-1',
          'X-RateLimit-Reset': '30', // a delta, not epoch seconds
          'Retry-After': 'soon-ish 12',
          Date: 'yesterday-ish',
        },
        {},
      ],
      ['reset in milliseconds is not epoch seconds', { 'X-RateLimit-Reset': '1721743260000' }, {}],
      ['garbage numbers', { 'X-RateLimit-Limit': '2e2', 'X-RateLimit-Remaining': '1.5' }, {}],
      ['nothing', {}, {}],
    ];
  for (const [name, headers, expected] of cases) {
    it(name, () => expect(parseRateLimitHeaders(headers)).toEqual(expected));
  }
});

describe('parseRetryAfter', () => {
  const cases: Array<[string | number | undefined, ReturnType<typeof parseRetryAfter>]> = [
    ['120', { kind: 'delay', ms: 120_000 }],
    [' 0 ', { kind: 'delay', ms: 0 }],
    ['1.5', { kind: 'delay', ms: 1500 }],
    [2, { kind: 'delay', ms: 2000 }],
    [DATE, { kind: 'date', epochMs: DATE_MS }],
    ['Tuesday, 23-Jul-24 14:00:00 GMT', { kind: 'date', epochMs: DATE_MS }],
    ['Tue Jul 23 14:00:00 2024', { kind: 'date', epochMs: DATE_MS }],
    ['soon-ish 12', undefined],
    ['-5', undefined],
    ['9999999', undefined], // more than a day: not believed
    ['', undefined],
    ['not a date', undefined],
    [Number.NaN, undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)}`, () => expect(parseRetryAfter(input)).toEqual(expected));
  }
});

describe('ServerClock (skew from Date headers)', () => {
  it('falls back to the local wall clock before any Date', () => {
    const c = new ServerClock();
    expect(c.earliestServerNow(5, 1_000_000)).toBe(1_000_000);
    expect(c.offsetFromWall(5, 1_000_000)).toBeUndefined();
  });

  it('narrows the offset interval by intersecting observations', () => {
    const c = new ServerClock();
    // Server 5 s ahead of a local wall clock that equals monotonic + 1e12.
    const wall = (mono: number) => 1e12 + mono;
    const serverDate = (mono: number) => Math.floor((wall(mono) + 5000) / 1000) * 1000;
    c.observe(serverDate(250), 250); // server time 1e12+5250 → Date 1e12+5000
    expect(c.offsetFromWall(250, wall(250))).toEqual({ min: 4750, max: 5750 });
    c.observe(serverDate(1900), 1900); // Date 1e12+6000 → offset ∈ [4100, 5100]
    expect(c.offsetFromWall(1900, wall(1900))).toEqual({ min: 4750, max: 5100 });
    // Durations to a server time err long: from the earliest possible server now.
    expect(c.earliestServerNow(2000, wall(2000))).toBe(1e12 + 2000 + 4750);
  });

  it('resets when a new observation contradicts the estimate (server clock step)', () => {
    const c = new ServerClock();
    c.observe(10_000, 0);
    c.observe(70_000, 1000); // jumped a minute
    expect(c.resets).toBe(1);
    expect(c.earliestServerNow(1000, 0)).toBe(70_000);
  });
});

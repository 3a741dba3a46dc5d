import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  daysFromCivil,
  formatDay,
  formatNy,
  formatUtcSeconds,
  nanoSuffix,
  nyDayOf,
  nyOffsetMs,
  nyTime,
  parseDay,
  parseTime,
  utcMinutePrefix,
  weekday,
} from '../../../src/sim/market/ny-time.js';

const HOUR = 3_600_000;

describe('civil dates', () => {
  it('round-trips day numbers and knows weekdays', () => {
    for (let d = daysFromCivil(1970, 1, 1); d < daysFromCivil(2200, 1, 1); d += 97) {
      const { y, m, d: dd } = civilFromDays(d);
      expect(daysFromCivil(y, m, dd)).toBe(d);
      expect(formatDay(d)).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
      expect(weekday(d)).toBe(new Date(d * 86_400_000).getUTCDay());
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(weekday(daysFromCivil(2024, 7, 23))).toBe(2);
  });
});

describe('New York time', () => {
  it('switches to EDT on the second Sunday of March at 02:00 and back on the first Sunday of November', () => {
    // 2024: March 10 and November 3; 2025: March 9 and November 2; 2026: March 8 and November 1.
    for (const [y, mar, nov] of [
      [2024, 10, 3],
      [2025, 9, 2],
      [2026, 8, 1],
    ] as const) {
      const springUtc = Date.UTC(y, 2, mar, 7);
      expect(nyOffsetMs(springUtc - 1)).toBe(-5 * HOUR);
      expect(nyOffsetMs(springUtc)).toBe(-4 * HOUR);
      const fallUtc = Date.UTC(y, 10, nov, 6);
      expect(nyOffsetMs(fallUtc - 1)).toBe(-4 * HOUR);
      expect(nyOffsetMs(fallUtc)).toBe(-5 * HOUR);
    }
    expect(formatNy(Date.UTC(2024, 2, 10, 6, 59, 59, 999))).toBe('2024-03-10T01:59:59.999-05:00');
    expect(formatNy(Date.UTC(2024, 2, 10, 7))).toBe('2024-03-10T03:00:00.000-04:00');
    expect(formatNy(Date.UTC(2024, 10, 3, 5, 59))).toBe('2024-11-03T01:59:00.000-04:00');
    expect(formatNy(Date.UTC(2024, 10, 3, 6))).toBe('2024-11-03T01:00:00.000-05:00');
    expect(formatNy(Date.UTC(2024, 6, 23, 14, 0, 0, 123))).toBe('2024-07-23T10:00:00.123-04:00');
    expect(formatNy(Date.UTC(2024, 0, 2, 14, 30), false)).toBe('2024-01-02T09:30:00-05:00');
  });

  it('maps New York wall times to UTC on both sides of the switches', () => {
    expect(new Date(nyTime(daysFromCivil(2024, 3, 8), 570)).toISOString()).toBe('2024-03-08T14:30:00.000Z');
    expect(new Date(nyTime(daysFromCivil(2024, 3, 11), 570)).toISOString()).toBe('2024-03-11T13:30:00.000Z');
    expect(new Date(nyTime(daysFromCivil(2024, 3, 10), 240)).toISOString()).toBe('2024-03-10T08:00:00.000Z');
    expect(new Date(nyTime(daysFromCivil(2024, 11, 3), 240)).toISOString()).toBe('2024-11-03T09:00:00.000Z');
    expect(new Date(nyTime(daysFromCivil(2024, 12, 31))).toISOString()).toBe('2024-12-31T05:00:00.000Z');
    expect(nyDayOf(Date.UTC(2024, 6, 24, 3, 59))).toBe(daysFromCivil(2024, 7, 23));
    expect(nyDayOf(Date.UTC(2024, 6, 24, 4))).toBe(daysFromCivil(2024, 7, 24));
  });

  it('formats bar and tick timestamps', () => {
    for (let ms = Date.UTC(2015, 11, 31, 23, 59); ms < Date.UTC(2026, 0, 2); ms += 86_399_000 + 7_777) {
      const whole = ms - (ms % 1000);
      expect(formatUtcSeconds(whole)).toBe(`${new Date(whole).toISOString().slice(0, 19)}Z`);
      const minute = ms - (ms % 60_000);
      expect(utcMinutePrefix(minute)).toBe(new Date(minute).toISOString().slice(0, 17));
    }
    expect(formatUtcSeconds(Date.UTC(2024, 6, 23, 14, 31))).toBe('2024-07-23T14:31:00Z');
    expect(nanoSuffix(5_123_456_789)).toBe('05.123456789Z');
    expect(nanoSuffix(0)).toBe('00.000000000Z');
  });
});

describe('parsing', () => {
  it('parses dates strictly', () => {
    expect(parseDay('2024-02-29')).toBe(daysFromCivil(2024, 2, 29));
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '1969-12-31', '2200-01-01', 'today', ''])
      expect(parseDay(bad), bad).toBeUndefined();
  });

  it('parses RFC-3339 with nanoseconds and offsets, and bare dates', () => {
    expect(parseTime('2024-07-23')).toEqual({ kind: 'date', day: daysFromCivil(2024, 7, 23) });
    expect(parseTime('2024-07-23T14:31:05.123456789Z')).toEqual({
      kind: 'instant',
      at: { ms: Date.UTC(2024, 6, 23, 14, 31, 5, 123), ns: 456_789 },
    });
    expect(parseTime('2024-07-23T10:00:00-04:00')).toEqual({
      kind: 'instant',
      at: { ms: Date.UTC(2024, 6, 23, 14), ns: 0 },
    });
    // An unencoded '+' arrives as a space.
    expect(parseTime('2024-07-23T16:00:00 02:00')).toEqual({
      kind: 'instant',
      at: { ms: Date.UTC(2024, 6, 23, 14), ns: 0 },
    });
    expect(parseTime('2024-07-23t14:00:00.5z')).toEqual({
      kind: 'instant',
      at: { ms: Date.UTC(2024, 6, 23, 14, 0, 0, 500), ns: 0 },
    });
    for (const bad of [
      'yesterday',
      '2024-07-23T25:00:00Z',
      '2024-07-23T14:00:00',
      '2024-07-23T14:00Z',
      '2024-07-23T14:00:00.1234567890Z',
    ])
      expect(parseTime(bad), bad).toBeUndefined();
  });
});

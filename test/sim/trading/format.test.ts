import { describe, expect, it } from 'vitest';
import {
  decimal,
  floorQty,
  isAfter,
  isBefore,
  isoUs,
  parseTimestamp,
  qtyStr,
  toUs,
} from '../../../src/sim/trading/format.js';

describe('decimal strings', () => {
  it('strips trailing zeros and never prints -0 or exponents', () => {
    expect(decimal(100, 4)).toBe('100');
    expect(decimal(1.5, 4)).toBe('1.5');
    expect(decimal(-0.00001, 4)).toBe('0');
    expect(decimal(0.1 + 0.2, 9)).toBe('0.3');
    expect(decimal(-12.3456789, 4)).toBe('-12.3457');
    expect(decimal(1e14, 4)).toBe('100000000000000');
    expect(qtyStr(0.123456789)).toBe('0.123456789');
  });

  it('floors quantities without float artefacts', () => {
    expect(floorQty(0.3)).toBe(0.3);
    expect(floorQty(1.9999999999)).toBe(1.999999999);
  });
});

describe('timestamps', () => {
  it('renders integer microseconds with nanosecond precision', () => {
    expect(isoUs(toUs(Date.UTC(2024, 6, 23, 14, 0) + 0.25))).toBe('2024-07-23T14:00:00.000250000Z');
    expect(isoUs(Date.UTC(2024, 6, 23, 14, 0) * 1000 + 123_456)).toBe('2024-07-23T14:00:00.123456000Z');
    expect(isoUs(toUs(Date.UTC(2024, 6, 23, 14, 0, 1, 5)))).toBe('2024-07-23T14:00:01.005000000Z');
  });

  it('parses RFC-3339, offsets, bare dates and query-decoded "+" offsets', () => {
    const base = Date.UTC(2024, 6, 23, 14, 0) * 1000;
    expect(parseTimestamp('2024-07-23T14:00:00Z')).toEqual({ us: base, ns: 0 });
    expect(parseTimestamp('2024-07-23T14:00:00.123456789Z')).toEqual({ us: base + 123_456, ns: 789 });
    expect(parseTimestamp('2024-07-23T16:00:00+02:00')).toEqual({ us: base, ns: 0 });
    expect(parseTimestamp('2024-07-23T16:00:00 02:00')).toEqual({ us: base, ns: 0 });
    expect(parseTimestamp('2024-07-23T10:00:00-04:00')).toEqual({ us: base, ns: 0 });
    expect(parseTimestamp('2024-07-23')).toEqual({ us: Date.UTC(2024, 6, 23) * 1000, ns: 0 });
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2024-07-23T25:00:00Z')).toBeUndefined();
  });

  it('compares exclusively, counting sub-microsecond digits', () => {
    const t = parseTimestamp('2024-07-23T14:00:00.000001500Z')!;
    const us = t.us; // ...001 µs
    expect(isAfter(us, t)).toBe(false);
    expect(isAfter(us + 1, t)).toBe(true);
    expect(isBefore(us, t)).toBe(true); // 1000 ns < 1500 ns
    expect(isBefore(us + 1, t)).toBe(false);
    const exact = parseTimestamp('2024-07-23T14:00:00.000001Z')!;
    expect(isBefore(exact.us, exact)).toBe(false);
    expect(isAfter(exact.us, exact)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  defaultMarketStart,
  formatDay,
  formatNy,
  marketSession,
  nyseCalendar,
  parseDay,
} from '../../../src/sim/market/index.js';

const day = (s: string) => parseDay(s)!;
const at = (iso: string) => Date.parse(iso);
const holidays = (y: number) => [...nyseCalendar.holidaysOf(y).keys()].sort((a, b) => a - b).map(formatDay);

describe('NYSE holidays', () => {
  it('lists 2024, 2025 and 2026 by rule (Good Friday, Juneteenth, observed days)', () => {
    expect(holidays(2024)).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ]);
    // 2025 also has the national day of mourning for President Carter (January 9).
    expect(holidays(2025)).toEqual([
      '2025-01-01',
      '2025-01-09',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
    // Independence Day 2026 is a Saturday: observed Friday July 3.
    expect(holidays(2026)).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
    expect(nyseCalendar.holidayName(day('2024-03-29'))).toBe('Good Friday');
  });

  it('observes Saturday holidays on Friday and Sunday holidays on Monday, except New Year on a Saturday', () => {
    expect(nyseCalendar.isTradingDay(day('2021-12-31'))).toBe(true); // New Year 2022 is a Saturday
    expect(holidays(2022)).not.toContain('2021-12-31');
    expect(nyseCalendar.holidayName(day('2022-06-20'))).toBe('Juneteenth National Independence Day');
    expect(nyseCalendar.holidayName(day('2022-12-26'))).toBe('Christmas Day');
    expect(nyseCalendar.holidayName(day('2021-07-05'))).toBe('Independence Day');
    expect(nyseCalendar.holidayName(day('2021-12-24'))).toBe('Christmas Day');
    expect(nyseCalendar.holidayName(day('2027-06-18'))).toBe('Juneteenth National Independence Day');
    expect(nyseCalendar.isTradingDay(day('2021-06-18'))).toBe(true); // before Juneteenth became a holiday
    expect(nyseCalendar.isTradingDay(day('2024-07-20'))).toBe(false); // Saturday
  });

  it('closes early at 13:00 on July 3, the day after Thanksgiving and December 24 when they trade', () => {
    const early = (y: number) => {
      const out: string[] = [];
      for (let d = day(`${y}-01-01`); d <= day(`${y}-12-31`); d++)
        if (nyseCalendar.isEarlyClose(d)) out.push(formatDay(d));
      return out;
    };
    expect(early(2024)).toEqual(['2024-07-03', '2024-11-29', '2024-12-24']);
    expect(early(2025)).toEqual(['2025-07-03', '2025-11-28', '2025-12-24']);
    expect(early(2026)).toEqual(['2026-11-27', '2026-12-24']); // July 3 2026 is the observed holiday
    const s = nyseCalendar.tradingSession(day('2024-11-29'))!;
    expect(formatNy(s.close, false)).toBe('2024-11-29T13:00:00-05:00');
    expect(formatNy(s.extendedClose, false)).toBe('2024-11-29T17:00:00-05:00');
  });
});

describe('sessions', () => {
  it('has 04:00 / 09:30 / 16:00 / 20:00 in both EST and EDT', () => {
    const s = nyseCalendar.tradingSession(day('2024-03-11'))!;
    expect(new Date(s.extendedOpen).toISOString()).toBe('2024-03-11T08:00:00.000Z');
    expect(new Date(s.open).toISOString()).toBe('2024-03-11T13:30:00.000Z');
    expect(new Date(s.close).toISOString()).toBe('2024-03-11T20:00:00.000Z');
    expect(new Date(s.extendedClose).toISOString()).toBe('2024-03-12T00:00:00.000Z');
    expect(new Date(nyseCalendar.tradingSession(day('2024-03-08'))!.open).toISOString()).toBe(
      '2024-03-08T14:30:00.000Z',
    );
    expect(nyseCalendar.tradingSession(day('2024-03-10'))).toBeUndefined();
  });

  it('reports is_open / next_open / next_close across weekends, holidays and early closes', () => {
    const view = (iso: string) => {
      const s = marketSession(at(iso));
      return [s.isOpen, s.isExtended, formatNy(s.nextOpen, false), formatNy(s.nextClose, false)];
    };
    expect(view('2024-07-23T14:00:00Z')).toEqual([
      true,
      false,
      '2024-07-24T09:30:00-04:00',
      '2024-07-23T16:00:00-04:00',
    ]);
    expect(view('2024-07-23T12:00:00Z')).toEqual([
      false,
      true,
      '2024-07-23T09:30:00-04:00',
      '2024-07-23T16:00:00-04:00',
    ]);
    expect(view('2024-07-23T13:30:00Z')).toEqual([
      true,
      false,
      '2024-07-24T09:30:00-04:00',
      '2024-07-23T16:00:00-04:00',
    ]);
    // At the close the market is closed; the next close is tomorrow's.
    expect(view('2024-07-23T20:00:00Z')).toEqual([
      false,
      true,
      '2024-07-24T09:30:00-04:00',
      '2024-07-24T16:00:00-04:00',
    ]);
    expect(view('2024-07-24T02:00:00Z')).toEqual([
      false,
      false,
      '2024-07-24T09:30:00-04:00',
      '2024-07-24T16:00:00-04:00',
    ]);
    // Friday evening → Monday.
    expect(view('2024-07-26T21:00:00Z')).toEqual([
      false,
      true,
      '2024-07-29T09:30:00-04:00',
      '2024-07-29T16:00:00-04:00',
    ]);
    expect(view('2024-07-27T15:00:00Z')).toEqual([
      false,
      false,
      '2024-07-29T09:30:00-04:00',
      '2024-07-29T16:00:00-04:00',
    ]);
    // Early close before Independence Day, then the holiday.
    expect(view('2024-07-03T16:30:00Z')).toEqual([
      true,
      false,
      '2024-07-05T09:30:00-04:00',
      '2024-07-03T13:00:00-04:00',
    ]);
    expect(view('2024-07-03T17:30:00Z')).toEqual([
      false,
      true,
      '2024-07-05T09:30:00-04:00',
      '2024-07-05T16:00:00-04:00',
    ]);
    expect(view('2024-07-03T21:30:00Z')).toEqual([
      false,
      false,
      '2024-07-05T09:30:00-04:00',
      '2024-07-05T16:00:00-04:00',
    ]);
    expect(view('2024-07-04T15:00:00Z')).toEqual([
      false,
      false,
      '2024-07-05T09:30:00-04:00',
      '2024-07-05T16:00:00-04:00',
    ]);
    // Thanksgiving → the early-close Friday; Good Friday weekend; across the DST switch.
    expect(view('2024-11-28T15:00:00Z')).toEqual([
      false,
      false,
      '2024-11-29T09:30:00-05:00',
      '2024-11-29T13:00:00-05:00',
    ]);
    expect(view('2024-03-28T21:00:00Z')).toEqual([
      false,
      true,
      '2024-04-01T09:30:00-04:00',
      '2024-04-01T16:00:00-04:00',
    ]);
    expect(view('2024-03-08T22:00:00Z')).toEqual([
      false,
      true,
      '2024-03-11T09:30:00-04:00',
      '2024-03-11T16:00:00-04:00',
    ]);
    // New Year.
    expect(view('2024-12-31T22:00:00Z')).toEqual([
      false,
      true,
      '2025-01-02T09:30:00-05:00',
      '2025-01-02T16:00:00-05:00',
    ]);
  });

  it('starts the default market clock in an open session', () => {
    const iso = (t: number) => new Date(t).toISOString();
    expect(iso(defaultMarketStart(at('2024-07-23T15:12:34.567Z')))).toBe('2024-07-23T15:12:34.567Z');
    expect(iso(defaultMarketStart(at('2024-07-23T21:00:00Z')))).toBe('2024-07-23T14:00:00.000Z'); // after close
    expect(iso(defaultMarketStart(at('2024-07-23T12:00:00Z')))).toBe('2024-07-22T14:00:00.000Z'); // pre-market
    expect(iso(defaultMarketStart(at('2024-07-27T12:00:00Z')))).toBe('2024-07-26T14:00:00.000Z'); // Saturday
    expect(iso(defaultMarketStart(at('2024-01-15T17:00:00Z')))).toBe('2024-01-12T15:00:00.000Z'); // MLK day, EST
    expect(iso(defaultMarketStart(at('2024-07-03T18:00:00Z')))).toBe('2024-07-03T14:00:00.000Z'); // after early close
    for (let t = at('2024-01-01T00:00:00Z'); t < at('2025-01-01T00:00:00Z'); t += 3_600_000 * 7 + 12_345) {
      const s = defaultMarketStart(t);
      expect(s).toBeLessThanOrEqual(t);
      expect(marketSession(s).isOpen).toBe(true);
    }
  });
});

describe('settlement', () => {
  it('settles T+2 before 2024-05-28 and T+1 from then, skipping holidays and bank holidays', () => {
    const settle = (s: string) => formatDay(nyseCalendar.settlementDay(day(s)));
    expect(settle('2024-05-24')).toBe('2024-05-29'); // T+2 over Memorial Day
    expect(settle('2024-05-28')).toBe('2024-05-29'); // first T+1 day
    expect(settle('2024-07-23')).toBe('2024-07-24');
    expect(settle('2024-07-03')).toBe('2024-07-05');
    expect(settle('2024-10-11')).toBe('2024-10-15'); // Columbus Day: exchanges open, settlement closed
    expect(settle('2024-11-08')).toBe('2024-11-12'); // Veterans Day
    expect(settle('2023-12-22')).toBe('2023-12-27');
    expect(nyseCalendar.calendarRow(day('2024-07-23'))).toEqual({
      date: '2024-07-23',
      open: '09:30',
      close: '16:00',
      session_open: '0400',
      session_close: '2000',
      settlement_date: '2024-07-24',
    });
    expect(nyseCalendar.calendarRow(day('2024-07-04'))).toBeUndefined();
  });
});

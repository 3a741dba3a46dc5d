/**
 * NYSE calendar by rule: holidays with weekend observance, early closes, sessions and settlement dates.
 * Pure functions of the date; per-year holiday tables are cached (bounded by the supported year range).
 */
import type { SessionInfo } from '../types.js';
import {
  civilFromDays,
  DAY_MS,
  daysFromCivil,
  formatDay,
  lastWeekday,
  MAX_YEAR,
  MIN_YEAR,
  nthWeekday,
  nyDayOf,
  nyTime,
  weekday,
} from './ny-time.js';

/** One trading day's times (UTC epoch ms). */
export interface TradingSession {
  day: number;
  /** 04:00 New York: pre-market opens. */
  extendedOpen: number;
  /** 09:30 New York. */
  open: number;
  /** 16:00, or 13:00 on early-close days. */
  close: number;
  /** 20:00, or 17:00 on early-close days. */
  extendedClose: number;
  earlyClose: boolean;
}

/** Minutes after New York midnight. */
export const EXTENDED_OPEN_MIN = 4 * 60;
export const REGULAR_OPEN_MIN = 9 * 60 + 30;
const REGULAR_CLOSE_MIN = 16 * 60;
const EARLY_CLOSE_MIN = 13 * 60;
const AFTER_HOURS_MIN = 4 * 60;

/**
 * Unscheduled closures the rules cannot know (national days of mourning, storms). Real calendars (and
 * Alpaca's) include them, so a bot comparing against the real calendar sees the same days.
 */
const SPECIAL_CLOSURES: ReadonlyArray<readonly [string, string]> = [
  ['2001-09-11', 'September 11'],
  ['2001-09-12', 'September 11'],
  ['2001-09-13', 'September 11'],
  ['2001-09-14', 'September 11'],
  ['2004-06-11', 'Reagan National Day of Mourning'],
  ['2007-01-02', 'Ford National Day of Mourning'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'Bush National Day of Mourning'],
  ['2025-01-09', 'Carter National Day of Mourning'],
];

/** Easter Sunday (anonymous Gregorian computus). */
export function easterSunday(y: number): number {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(y, month, day);
}

/** Saturday holidays move to Friday, Sunday holidays to Monday. */
function observed(day: number): number {
  const wd = weekday(day);
  return wd === 6 ? day - 1 : wd === 0 ? day + 1 : day;
}

function computeHolidays(y: number): Map<number, string> {
  const h = new Map<number, string>();
  const newYear = daysFromCivil(y, 1, 1);
  // New Year on a Saturday is not observed on the previous Friday (NYSE rule 7.2).
  if (weekday(newYear) !== 6) h.set(observed(newYear), "New Year's Day");
  if (y >= 1998) h.set(nthWeekday(y, 1, 1, 3), 'Martin Luther King, Jr. Day');
  h.set(nthWeekday(y, 2, 1, 3), "Washington's Birthday");
  h.set(easterSunday(y) - 2, 'Good Friday');
  h.set(lastWeekday(y, 5, 1), 'Memorial Day');
  if (y >= 2022) h.set(observed(daysFromCivil(y, 6, 19)), 'Juneteenth National Independence Day');
  h.set(observed(daysFromCivil(y, 7, 4)), 'Independence Day');
  h.set(nthWeekday(y, 9, 1, 1), 'Labor Day');
  h.set(nthWeekday(y, 11, 4, 4), 'Thanksgiving Day');
  h.set(observed(daysFromCivil(y, 12, 25)), 'Christmas Day');
  for (const [date, name] of SPECIAL_CLOSURES) {
    const [yy, mm, dd] = date.split('-').map(Number) as [number, number, number];
    if (yy === y) h.set(daysFromCivil(yy, mm, dd), name);
  }
  return h;
}

const holidayCache = new Map<number, Map<number, string>>();

/** Holidays of a calendar year (day number → name). Cached for the supported years. */
export function holidaysOf(year: number): ReadonlyMap<number, string> {
  let h = holidayCache.get(year);
  if (!h) {
    h = computeHolidays(year);
    if (year >= MIN_YEAR - 1 && year <= MAX_YEAR + 1) holidayCache.set(year, h);
  }
  return h;
}

export function holidayName(day: number): string | undefined {
  return holidaysOf(civilFromDays(day).y).get(day);
}

export function isTradingDay(day: number): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && holidayName(day) === undefined;
}

/** 13:00 closes: July 3, the day after Thanksgiving and December 24, whenever they are trading days. */
export function isEarlyClose(day: number): boolean {
  if (!isTradingDay(day)) return false;
  const { y, m, d } = civilFromDays(day);
  return (m === 7 && d === 3) || (m === 12 && d === 24) || day === nthWeekday(y, 11, 4, 4) + 1;
}

// Sessions are looked up on every engine step and for every day a data request walks.
const SESSION_CACHE_MAX = 8192;
const sessionCache = new Map<number, TradingSession | null>();

/** The sessions of a trading day, undefined on weekends and holidays (cached, bounded). */
export function tradingSession(day: number): TradingSession | undefined {
  const hit = sessionCache.get(day);
  if (hit !== undefined) return hit ?? undefined;
  const s = computeSession(day);
  if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.clear();
  sessionCache.set(day, s ?? null);
  return s;
}

function computeSession(day: number): TradingSession | undefined {
  if (!isTradingDay(day)) return undefined;
  const earlyClose = isEarlyClose(day);
  const closeMin = earlyClose ? EARLY_CLOSE_MIN : REGULAR_CLOSE_MIN;
  return {
    day,
    extendedOpen: nyTime(day, EXTENDED_OPEN_MIN),
    open: nyTime(day, REGULAR_OPEN_MIN),
    close: nyTime(day, closeMin),
    extendedClose: nyTime(day, closeMin + AFTER_HOURS_MIN),
    earlyClose,
  };
}

// The longest real gap between trading days is under two weeks; the bound only guards against bugs.
const MAX_GAP_DAYS = 30;

/** The first trading day strictly after `day`. */
export function nextTradingDay(day: number): number {
  let d = day + 1;
  for (let i = 0; i < MAX_GAP_DAYS && !isTradingDay(d); i++) d++;
  return d;
}

/** The last trading day strictly before `day`. */
export function prevTradingDay(day: number): number {
  let d = day - 1;
  for (let i = 0; i < MAX_GAP_DAYS && !isTradingDay(d); i++) d--;
  return d;
}

/** Where `t` (UTC epoch ms) sits relative to the regular and extended sessions. */
export function marketSession(t: number): SessionInfo {
  const day = nyDayOf(t);
  const today = tradingSession(day);
  if (today && t < today.close) {
    const isOpen = t >= today.open;
    return {
      isOpen,
      isExtended: !isOpen && t >= today.extendedOpen,
      nextOpen: isOpen ? tradingSession(nextTradingDay(day))!.open : today.open,
      nextClose: today.close,
    };
  }
  const next = tradingSession(nextTradingDay(day))!;
  return {
    isOpen: false,
    isExtended: today !== undefined && t < today.extendedClose,
    nextOpen: next.open,
    nextClose: next.close,
  };
}

/**
 * The market clock's start when none is configured: `realEpochMs` itself inside a regular session, otherwise
 * 10:00 New York of the latest trading day whose 10:00 lies before it (so a bot starts in an open market).
 */
export function defaultMarketStart(realEpochMs: number): number {
  if (marketSession(realEpochMs).isOpen) return realEpochMs;
  let day = nyDayOf(realEpochMs);
  for (let i = 0; i < MAX_GAP_DAYS; i++, day--) {
    if (isTradingDay(day) && nyTime(day, 600) < realEpochMs) return nyTime(day, 600);
  }
  return nyTime(prevTradingDay(day), 600);
}

/** Trades settle T+1 from 2024-05-28 (SEC rule 15c6-1 amendment), T+2 before. */
const T1_FROM = daysFromCivil(2024, 5, 28);

/**
 * Settlement days are trading days other than the bank holidays the exchanges stay open on (Columbus Day and
 * Veterans Day, when the Fed and DTC are closed).
 */
function isSettlementDay(day: number): boolean {
  if (!isTradingDay(day)) return false;
  const { y, m } = civilFromDays(day);
  if (m === 10) return day !== nthWeekday(y, 10, 1, 2);
  if (m !== 11) return true;
  // The Fed observes a Sunday Veterans Day on Monday, a Saturday one not at all.
  const vets = daysFromCivil(y, 11, 11);
  return day !== (weekday(vets) === 0 ? vets + 1 : vets);
}

/** The settlement date (day number) of a trade executed on `day`. */
export function settlementDay(day: number): number {
  let left = day >= T1_FROM ? 1 : 2;
  let d = day;
  for (let i = 0; left > 0 && i < MAX_GAP_DAYS; i++) {
    d++;
    if (isSettlementDay(d)) left--;
  }
  return d;
}

/** One `/v2/calendar` row. */
export interface CalendarRow {
  date: string;
  open: string;
  close: string;
  session_open: string;
  session_close: string;
  settlement_date: string;
}

export function calendarRow(day: number): CalendarRow | undefined {
  if (!isTradingDay(day)) return undefined;
  const early = isEarlyClose(day);
  return {
    date: formatDay(day),
    open: '09:30',
    close: early ? '13:00' : '16:00',
    session_open: '0400',
    session_close: early ? '1700' : '2000',
    settlement_date: formatDay(settlementDay(day)),
  };
}

/** Calendar helpers, grouped for callers outside the market (the trading engine, the CLI). */
export const nyseCalendar = {
  holidaysOf,
  holidayName,
  isTradingDay,
  isEarlyClose,
  tradingSession,
  nextTradingDay,
  prevTradingDay,
  session: marketSession,
  settlementDay,
  calendarRow,
  /** New York day number of a UTC instant. */
  dayOf: nyDayOf,
  /** UTC instant of New York midnight of a day number. */
  midnight: (day: number): number => nyTime(day, 0),
  dayMs: DAY_MS,
} as const;

/**
 * Exact bar aggregation. Prices are integer cents and every vw is an integer count of 1e-4 dollars, so
 * Σ vw·v is an exact integer; it is carried as two doubles (hi·1e12 + lo) so that no grouping (minutes into
 * hours, days into months, in any order) can change a single bit of the result.
 */
const S_BASE = 1e12;

/** A running aggregate. Prices in cents; `sHi`/`sLo` hold Σ vw4·v exactly. Empty while `n` is 0. */
export interface Agg {
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  sHi: number;
  sLo: number;
}

export function emptyAgg(): Agg {
  return { o: 0, h: 0, l: 0, c: 0, v: 0, n: 0, sHi: 0, sLo: 0 };
}

/**
 * Adds one interval (a minute bar, or an aggregate) with its cents prices, volume, count and exact Σ vw4·v
 * given as hi/lo. `ascending` says whether the interval comes after (true) or before everything added so far.
 */
export function addInterval(
  a: Agg,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
  n: number,
  sHi: number,
  sLo: number,
  ascending: boolean,
): void {
  if (a.n === 0) {
    a.o = o;
    a.h = h;
    a.l = l;
    a.c = c;
  } else {
    if (ascending) a.c = c;
    else a.o = o;
    if (h > a.h) a.h = h;
    if (l < a.l) a.l = l;
  }
  a.v += v;
  a.n += n;
  a.sHi += sHi;
  a.sLo += sLo;
  if (a.sLo >= S_BASE) {
    const carry = Math.floor(a.sLo / S_BASE);
    a.sHi += carry;
    a.sLo -= carry * S_BASE;
  }
}

export function addAgg(a: Agg, b: Agg, ascending: boolean): void {
  if (b.n > 0) addInterval(a, b.o, b.h, b.l, b.c, b.v, b.n, b.sHi, b.sLo, ascending);
}

/** vw of an aggregate: Σ vw·v / Σ v, rounded to 4 decimals. */
export function aggVw(a: Agg): number {
  return Math.round((a.sHi * S_BASE + a.sLo) / a.v) / 1e4;
}

/** Alpaca's bar object. */
export interface BarJson {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

export function barJson(t: string, a: Agg): BarJson {
  return { t, o: a.o / 100, h: a.h / 100, l: a.l / 100, c: a.c / 100, v: a.v, n: a.n, vw: aggVw(a) };
}

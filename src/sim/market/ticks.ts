/**
 * One minute's trades and quotes in full detail. Prices and sizes come from {@link minuteTrades} (shared with
 * the minute bars); times, exchanges and conditions from a second stream, quotes from a third. Quote layout
 * guarantees bracketing: before every trade there is a quote (at most 2 ms earlier, after the previous trade)
 * with bid ≤ price ≤ ask, and nothing else happens between that quote and the trade.
 */
import type { DayMinutes } from './day-data.js';
import { MAX_TRADES_PER_MINUTE, minuteTrades } from './day-data.js';
import { nanoSuffix, utcMinutePrefix } from './ny-time.js';
import type { SymbolModel } from './prices.js';
import { deriveWord, SplitMix32 } from './rng.js';

const MINUTE_NS = 6e10;
/** The deciding quote comes at most this long (ns) before its trade. */
const QUOTE_LEAD_NS = 2e6;

export interface MinuteTicks {
  readonly minuteMs: number;
  /** `YYYY-MM-DDTHH:MM:` of the minute (UTC). */
  readonly prefix: string;
  readonly count: number;
  readonly cents: Int32Array;
  readonly sizes: Int32Array;
  /** Nanoseconds after the minute's start, strictly increasing. */
  readonly off: Float64Array;
  /** Exchange letters as char codes. */
  readonly x: Uint8Array;
  readonly cond: Uint8Array;
  readonly idBase: number;
  readonly quoteCount: number;
  readonly qoff: Float64Array;
  readonly bid: Int32Array;
  readonly ask: Int32Array;
  /** Sizes in round lots. */
  readonly bs: Int32Array;
  readonly as: Int32Array;
  readonly bx: Uint8Array;
  readonly ax: Uint8Array;
}

// Rough US equity venue shares; '*' is the listing exchange. D (FINRA TRF) reports off-exchange prints.
const TRADE_VENUES =
  'DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD**************KKKKKKKKKKZZZZZZZZZVVVVVVYYYYYXXXXJJJJUUUUUBBBHHHM';
const QUOTE_VENUES = '******KKKKKZZZZZVVVYYYXXJJUUBBH';
const CONDITIONS: ReadonlyArray<readonly string[]> = [['@'], ['@', 'I'], ['@', 'F'], ['@', 'T'], ['@', 'T', 'I']];
const QUOTE_CONDITIONS: readonly string[] = ['R'];

function venue(table: string, u: number, listing: number): number {
  const c = table.charCodeAt(Math.floor(u * table.length));
  return c === 42 ? listing : c;
}

const sCents = new Int32Array(MAX_TRADES_PER_MINUTE);
const sSizes = new Int32Array(MAX_TRADES_PER_MINUTE);

export function generateTicks(sm: SymbolModel, dm: DayMinutes, m: number): MinuteTicks {
  const n = Math.max(0, minuteTrades(dm, m, sCents, sSizes));
  const minuteMs = dm.session.extendedOpen + m * 60_000;
  const listing = sm.profile.listingCode.charCodeAt(0);
  const regular = m >= dm.shape.regularStart && m < dm.shape.regularEnd;
  const off = new Float64Array(n);
  const x = new Uint8Array(n);
  const cond = new Uint8Array(n);
  const r1 = new SplitMix32(deriveWord(dm.minuteWord, m, 1));
  for (let k = 0; k < n; k++) {
    const t = Math.floor(((k + r1.next()) / n) * MINUTE_NS);
    off[k] = Math.min(MINUTE_NS - 1, k > 0 && t <= off[k - 1]! ? off[k - 1]! + 1 : t);
    x[k] = venue(TRADE_VENUES, r1.next(), listing);
    const odd = sSizes[k]! < 100;
    const sweep = r1.next() < 0.1;
    cond[k] = regular ? (odd ? 1 : sweep ? 2 : 0) : odd ? 4 : 3;
  }

  const maxQuotes = n > 0 ? 2 * n : dm.hasQuote[m] ? 1 : 0;
  const q = {
    count: 0,
    qoff: new Float64Array(maxQuotes),
    bid: new Int32Array(maxQuotes),
    ask: new Int32Array(maxQuotes),
    bs: new Int32Array(maxQuotes),
    as: new Int32Array(maxQuotes),
    bx: new Uint8Array(maxQuotes),
    ax: new Uint8Array(maxQuotes),
  };
  const r2 = new SplitMix32(deriveWord(dm.minuteWord, m, 2));
  const spreadFrac = regular ? 0.0002 : 0.001;
  const lotScale = 8 * sm.profile.sizeMult;
  const push = (t: number, center: number): void => {
    const i = q.count++;
    const spread = Math.max(1, Math.round(center * spreadFrac * (0.6 + 0.8 * r2.next())));
    const a = Math.min(Math.floor(r2.next() * (spread + 1)), center - 1);
    q.qoff[i] = t;
    q.bid[i] = center - a;
    q.ask[i] = center - a + spread;
    const u1 = r2.next();
    const u2 = r2.next();
    q.bs[i] = 1 + Math.floor(u1 * u1 * lotScale);
    q.as[i] = 1 + Math.floor(u2 * u2 * lotScale);
    q.bx[i] = venue(QUOTE_VENUES, r2.next(), listing);
    q.ax[i] = venue(QUOTE_VENUES, r2.next(), listing);
  };
  if (n === 0 && maxQuotes === 1)
    push(Math.floor(r2.next() * MINUTE_NS), Math.max(1, Math.round(dm.anchors[m]! * 100)));
  for (let k = 0; k < n; k++) {
    const lo = k === 0 ? 0 : off[k - 1]! + 1;
    const qt = off[k]! - Math.floor(r2.next() * Math.min(off[k]! - lo, QUOTE_LEAD_NS));
    if (r2.next() < 0.5 && qt > lo) push(lo + Math.floor(r2.next() * (qt - lo)), sCents[k > 0 ? k - 1 : 0]!);
    push(qt, sCents[k]!);
  }
  const qc = q.count;
  return {
    minuteMs,
    prefix: utcMinutePrefix(minuteMs),
    count: n,
    cents: sCents.slice(0, n),
    sizes: sSizes.slice(0, n),
    off,
    x,
    cond,
    idBase: dm.day * 100_000 + m * 64 + 1,
    quoteCount: qc,
    qoff: q.qoff.subarray(0, qc),
    bid: q.bid.subarray(0, qc),
    ask: q.ask.subarray(0, qc),
    bs: q.bs.subarray(0, qc),
    as: q.as.subarray(0, qc),
    bx: q.bx.subarray(0, qc),
    ax: q.ax.subarray(0, qc),
  };
}

/** Alpaca's trade object (`t,x,p,s,c,i,z`). */
export interface TradeJson {
  t: string;
  x: string;
  p: number;
  s: number;
  c: readonly string[];
  i: number;
  z: string;
}

/** Alpaca's quote object (`t,ax,ap,as,bx,bp,bs,c,z`). */
export interface QuoteJson {
  t: string;
  ax: string;
  ap: number;
  as: number;
  bx: string;
  bp: number;
  bs: number;
  c: readonly string[];
  z: string;
}

export function tradeJson(sm: SymbolModel, tk: MinuteTicks, k: number): TradeJson {
  return {
    t: tk.prefix + nanoSuffix(tk.off[k]!),
    x: String.fromCharCode(tk.x[k]!),
    p: tk.cents[k]! / 100,
    s: tk.sizes[k]!,
    c: CONDITIONS[tk.cond[k]!]!,
    i: tk.idBase + k,
    z: sm.profile.tape,
  };
}

export function quoteJson(sm: SymbolModel, tk: MinuteTicks, j: number): QuoteJson {
  return {
    t: tk.prefix + nanoSuffix(tk.qoff[j]!),
    ax: String.fromCharCode(tk.ax[j]!),
    ap: tk.ask[j]! / 100,
    as: tk.as[j]!,
    bx: String.fromCharCode(tk.bx[j]!),
    bp: tk.bid[j]! / 100,
    bs: tk.bs[j]!,
    c: QUOTE_CONDITIONS,
    z: sm.profile.tape,
  };
}

/** Epoch ms (fractional) of trade k / quote j, for comparisons against a market time. */
export const tradeTimeMs = (tk: MinuteTicks, k: number): number => tk.minuteMs + tk.off[k]! / 1e6;
export const quoteTimeMs = (tk: MinuteTicks, j: number): number => tk.minuteMs + tk.qoff[j]! / 1e6;

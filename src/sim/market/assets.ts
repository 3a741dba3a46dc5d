/**
 * The synthetic universe: ~40 well-known US symbols with plausible prices and flags, Alpaca's test symbol
 * FAKEPACA, and an inactive, non-tradable DELSTD for error paths. Unknown symbols get generic metadata.
 */
import { ConfigError } from '../../core/errors.js';
import { hash01, SeededRandom, uuidV4 } from '../../core/random.js';
import type { AssetInfo } from '../types.js';

export type ListingExchange = 'NASDAQ' | 'NYSE' | 'ARCA';

/** An asset plus the parameters of its price process. */
export interface AssetProfile {
  readonly info: AssetInfo;
  /** Daily log-return volatility (0.017 = 1.7 %). */
  readonly dailyVol: number;
  /** Trade-rate multiplier (1 = a typical large cap). */
  readonly activity: number;
  /** Multiplier of round-lot trade sizes. */
  readonly sizeMult: number;
  /** SIP tape: "C" NASDAQ-listed, "A" NYSE, "B" ARCA and others. */
  readonly tape: 'A' | 'B' | 'C';
  /** Listing exchange's SIP letter. */
  readonly listingCode: 'Q' | 'N' | 'P';
  readonly cusip: string;
}

type Flag = 'nofrac' | 'noshort' | 'htb' | 'inactive';
type Def = readonly [
  symbol: string,
  name: string,
  exchange: ListingExchange,
  price: number,
  vol: number,
  act: number,
  flags?: Flag[],
];

const DEFS: readonly Def[] = [
  ['AAPL', 'Apple Inc. Common Stock', 'NASDAQ', 225, 0.016, 1.6],
  ['MSFT', 'Microsoft Corporation Common Stock', 'NASDAQ', 420, 0.015, 1.4],
  ['AMZN', 'Amazon.com, Inc. Common Stock', 'NASDAQ', 185, 0.019, 1.4],
  ['GOOGL', 'Alphabet Inc. Class A Common Stock', 'NASDAQ', 170, 0.018, 1.2],
  ['META', 'Meta Platforms, Inc. Class A Common Stock', 'NASDAQ', 500, 0.022, 1.2],
  ['NVDA', 'NVIDIA Corporation Common Stock', 'NASDAQ', 120, 0.028, 1.8],
  ['TSLA', 'Tesla, Inc. Common Stock', 'NASDAQ', 240, 0.03, 1.8],
  ['AMD', 'Advanced Micro Devices, Inc. Common Stock', 'NASDAQ', 150, 0.026, 1.3],
  ['NFLX', 'Netflix, Inc. Common Stock', 'NASDAQ', 650, 0.022, 0.8],
  ['SPY', 'SPDR S&P 500 ETF Trust', 'ARCA', 550, 0.011, 2],
  ['QQQ', 'Invesco QQQ Trust, Series 1', 'NASDAQ', 480, 0.013, 1.6],
  ['IWM', 'iShares Russell 2000 ETF', 'ARCA', 215, 0.014, 1.1],
  ['DIA', 'SPDR Dow Jones Industrial Average ETF Trust', 'ARCA', 400, 0.011, 0.6, ['nofrac']],
  ['JPM', 'JPMorgan Chase & Co. Common Stock', 'NYSE', 210, 0.015, 1],
  ['BAC', 'Bank of America Corporation Common Stock', 'NYSE', 40, 0.017, 1.1],
  ['XOM', 'Exxon Mobil Corporation Common Stock', 'NYSE', 115, 0.016, 0.9],
  ['CVX', 'Chevron Corporation Common Stock', 'NYSE', 150, 0.016, 0.8],
  ['KO', 'Coca-Cola Company (The) Common Stock', 'NYSE', 68, 0.011, 0.8],
  ['PEP', 'PepsiCo, Inc. Common Stock', 'NASDAQ', 170, 0.012, 0.7],
  ['WMT', 'Walmart Inc. Common Stock', 'NYSE', 75, 0.012, 0.9],
  ['COST', 'Costco Wholesale Corporation Common Stock', 'NASDAQ', 880, 0.013, 0.6],
  ['DIS', 'Walt Disney Company (The) Common Stock', 'NYSE', 95, 0.017, 0.9],
  ['INTC', 'Intel Corporation Common Stock', 'NASDAQ', 22, 0.024, 1.1, ['htb']],
  ['CSCO', 'Cisco Systems, Inc. Common Stock', 'NASDAQ', 50, 0.014, 0.9],
  ['ORCL', 'Oracle Corporation Common Stock', 'NYSE', 160, 0.018, 0.8],
  ['IBM', 'International Business Machines Corporation Common Stock', 'NYSE', 210, 0.014, 0.6],
  ['BA', 'Boeing Company (The) Common Stock', 'NYSE', 175, 0.021, 0.8],
  ['CAT', 'Caterpillar, Inc. Common Stock', 'NYSE', 350, 0.017, 0.6],
  ['GE', 'GE Aerospace Common Stock', 'NYSE', 180, 0.018, 0.7],
  ['F', 'Ford Motor Company Common Stock', 'NYSE', 11, 0.02, 1],
  ['GM', 'General Motors Company Common Stock', 'NYSE', 48, 0.02, 0.8],
  ['T', 'AT&T Inc.', 'NYSE', 21, 0.013, 0.9],
  ['VZ', 'Verizon Communications Inc. Common Stock', 'NYSE', 42, 0.012, 0.8],
  ['PFE', 'Pfizer, Inc. Common Stock', 'NYSE', 29, 0.015, 0.9],
  ['MRK', 'Merck & Company, Inc. Common Stock', 'NYSE', 110, 0.013, 0.7],
  ['JNJ', 'Johnson & Johnson Common Stock', 'NYSE', 160, 0.011, 0.7],
  ['UNH', 'UnitedHealth Group Incorporated Common Stock', 'NYSE', 580, 0.016, 0.6],
  ['V', 'Visa Inc.', 'NYSE', 280, 0.013, 0.8],
  ['MA', 'Mastercard Incorporated Common Stock', 'NYSE', 470, 0.014, 0.6],
  ['FAKEPACA', 'Alpaca Test Symbol', 'NASDAQ', 134, 0.02, 0.4, ['nofrac', 'noshort']],
  ['DELSTD', 'Delisted Holdings Corp. Common Stock', 'NYSE', 5, 0.03, 0.2, ['inactive']],
];

const DEF_BY_SYMBOL = new Map(DEFS.map((d) => [d[0], d]));

/** The default universe's symbols, in listing order. */
export const defaultSymbols: readonly string[] = DEFS.map((d) => d[0]);

/** Alpaca-style equity symbols: upper case letters and digits, optionally a class suffix (`BRK.B`). */
const SYMBOL_RE = /^[A-Z][A-Z0-9]{0,9}(?:\.[A-Z]{1,2})?$/;
/** Upper bound on the universe (keeps every per-symbol structure bounded). */
export const MAX_UNIVERSE = 10_000;

export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_RE.test(symbol);
}

const TAPE = { NASDAQ: 'C', NYSE: 'A', ARCA: 'B' } as const;
const LISTING_CODE = { NASDAQ: 'Q', NYSE: 'N', ARCA: 'P' } as const;

function genericDef(symbol: string): Def {
  const u = hash01('corral-generic-asset', symbol);
  const price = Math.round((10 + u * 290) * 100) / 100;
  const exchange: ListingExchange = hash01('corral-generic-exchange', symbol) < 0.6 ? 'NASDAQ' : 'NYSE';
  return [symbol, `${symbol} Synthetic Inc. Common Stock`, exchange, price, 0.018, 0.7];
}

/** A syntactically valid CUSIP (6-character issuer, issue "10", check digit) derived from the symbol. */
export function cusipFor(symbol: string): string {
  const r = new SeededRandom(`corral-cusip|${symbol}`);
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let body = '';
  for (let i = 0; i < 6; i++) body += alphabet[Math.floor(r.next() * (i < 3 ? 10 : alphabet.length))];
  body += '10';
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body.charCodeAt(i);
    let v = c <= 57 ? c - 48 : c - 55;
    if (i % 2 === 1) v *= 2;
    sum += Math.floor(v / 10) + (v % 10);
  }
  return body + ((10 - (sum % 10)) % 10);
}

/** Builds the universe for a seed. Throws ConfigError naming `symbols[i]` for a malformed or duplicate name. */
export function buildUniverse(seed: number | string, symbols: readonly string[] = defaultSymbols): AssetProfile[] {
  if (symbols.length === 0) throw new ConfigError('symbols', 'must name at least one symbol');
  if (symbols.length > MAX_UNIVERSE) throw new ConfigError('symbols', `at most ${MAX_UNIVERSE} symbols`);
  const seen = new Set<string>();
  return symbols.map((symbol, i) => {
    if (typeof symbol !== 'string' || !isValidSymbol(symbol))
      throw new ConfigError(`symbols[${i}]`, `"${String(symbol)}" is not an upper-case equity symbol`);
    if (seen.has(symbol)) throw new ConfigError(`symbols[${i}]`, `duplicate symbol ${symbol}`);
    seen.add(symbol);
    return profileOf(seed, DEF_BY_SYMBOL.get(symbol) ?? genericDef(symbol));
  });
}

function profileOf(seed: number | string, def: Def): AssetProfile {
  const [symbol, name, exchange, price, vol, act, flags = []] = def;
  const active = !flags.includes('inactive');
  const shortable = active && !flags.includes('noshort');
  const info: AssetInfo = {
    id: uuidV4(new SeededRandom(`${seed}|asset|${symbol}`)),
    symbol,
    name,
    exchange,
    class: 'us_equity',
    status: active ? 'active' : 'inactive',
    tradable: active,
    marginable: active,
    shortable,
    easy_to_borrow: shortable && !flags.includes('htb'),
    fractionable: active && !flags.includes('nofrac'),
    basePrice: price,
  };
  return {
    info,
    dailyVol: vol,
    activity: act,
    sizeMult: Math.max(1, Math.round(act * 1.5)),
    tape: TAPE[exchange],
    listingCode: LISTING_CODE[exchange],
    cusip: cusipFor(symbol),
  };
}

/** The Alpaca Asset object (`GET /v2/assets`), derived from an AssetInfo so it works for any MarketModel. */
export function assetJson(info: AssetInfo): Record<string, unknown> {
  const attributes: string[] = [];
  if (info.fractionable) attributes.push('fractional_eh_enabled');
  if (info.status === 'active' && info.symbol !== 'FAKEPACA') attributes.push('has_options');
  return {
    id: info.id,
    class: info.class,
    exchange: info.exchange,
    symbol: info.symbol,
    name: info.name,
    status: info.status,
    tradable: info.tradable,
    marginable: info.marginable,
    shortable: info.shortable,
    easy_to_borrow: info.easy_to_borrow,
    fractionable: info.fractionable,
    // Alpaca sends the deprecated maintenance figure as a number and the newer requirements as strings.
    maintenance_margin_requirement: info.marginable ? 30 : 100,
    margin_requirement_long: info.marginable ? '30' : '100',
    margin_requirement_short: info.shortable ? '30' : '100',
    attributes,
    min_order_size: info.fractionable ? '0.000000001' : '1',
    min_trade_increment: info.fractionable ? '0.000000001' : '1',
    price_increment: '0.01',
    cusip: cusipFor(info.symbol),
  };
}

/** Exchanges and attributes `GET /v2/assets` accepts as filters. */
export const ASSET_EXCHANGES = ['AMEX', 'ARCA', 'BATS', 'NYSE', 'NASDAQ', 'NYSEARCA', 'OTC', 'CRYPTO'] as const;
export const ASSET_ATTRIBUTES = [
  'ptp_no_exception',
  'ptp_with_exception',
  'ipo',
  'has_options',
  'options_late_close',
  'fractional_eh_enabled',
  'overnight_tradable',
  'overnight_halted',
] as const;

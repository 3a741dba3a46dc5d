/**
 * The Alpaca Account object. Built in O(#positions + #symbols with open orders) and cached per ledger
 * version; with no positions the figures do not depend on time, so the cache holds until the next change
 * (the simulator's throughput goal is on this route).
 */
import { moneyStr } from './format.js';
import type { Ledger } from './ledger.js';
import { MARGIN_MULTIPLIER } from './portfolio.js';

export class AccountView {
  private cached: { version: number; t: number; json: Record<string, unknown> } | undefined;

  constructor(private readonly ledger: Ledger) {}

  json(t: number): Record<string, unknown> {
    const ledger = this.ledger;
    // Without positions nothing in the account depends on the time.
    const key = ledger.portfolio.positions.size > 0 ? t : Number.NEGATIVE_INFINITY;
    const c = this.cached;
    if (c && c.version === ledger.version && c.t === key) return c.json;
    const json = build(ledger, t);
    this.cached = { version: ledger.version, t: key, json };
    return json;
  }
}

function build(ledger: Ledger, t: number): Record<string, unknown> {
  const a = ledger.account;
  const p = ledger.portfolio;
  const v = p.valuation(t);
  const bp = moneyStr(v.buyingPower);
  const cashLike = moneyStr(Math.max(0, Math.min(p.cash, v.equity) - v.exposure));
  const equity = moneyStr(v.equity);
  return {
    id: a.id,
    admin_configurations: {},
    user_configurations: null,
    account_number: a.accountNumber,
    status: 'ACTIVE',
    crypto_status: 'INACTIVE',
    options_approved_level: 0,
    options_trading_level: 0,
    currency: 'USD',
    buying_power: bp,
    regt_buying_power: bp,
    daytrading_buying_power: bp,
    effective_buying_power: bp,
    non_marginable_buying_power: cashLike,
    options_buying_power: cashLike,
    bod_dtbp: '0',
    cash: moneyStr(p.cash),
    accrued_fees: '0',
    portfolio_value: equity,
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: a.createdAt,
    trade_suspended_by_user: false,
    multiplier: String(MARGIN_MULTIPLIER),
    shorting_enabled: true,
    equity,
    last_equity: moneyStr(p.lastEquity),
    long_market_value: moneyStr(v.longValue),
    short_market_value: moneyStr(v.shortValue),
    position_market_value: moneyStr(v.gross),
    initial_margin: moneyStr(v.gross / MARGIN_MULTIPLIER),
    maintenance_margin: moneyStr(v.maintenance),
    last_maintenance_margin: moneyStr(p.lastMaintenance),
    sma: '0',
    daytrade_count: p.daytradeCount(),
    balance_asof: new Date(p.lastCloseAt).toISOString().slice(0, 10),
    crypto_tier: 0,
    intraday_adjustments: '0',
    pending_reg_taf_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
  };
}

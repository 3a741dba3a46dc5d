import { describe, expect, it } from 'vitest';
import { demoAccount } from '../harness.js';
import { HOUR, START } from './fake-market.js';
import { body, type Json, marketBuy, setup } from './setup.js';

const REFERENCE_FIELDS = [
  'id',
  'account_number',
  'status',
  'crypto_status',
  'currency',
  'buying_power',
  'regt_buying_power',
  'daytrading_buying_power',
  'non_marginable_buying_power',
  'options_buying_power',
  'cash',
  'accrued_fees',
  'portfolio_value',
  'equity',
  'last_equity',
  'long_market_value',
  'short_market_value',
  'initial_margin',
  'maintenance_margin',
  'last_maintenance_margin',
  'sma',
  'multiplier',
  'daytrade_count',
  'pattern_day_trader',
  'trading_blocked',
  'transfers_blocked',
  'account_blocked',
  'shorting_enabled',
  'trade_suspended_by_user',
  'created_at',
  'balance_asof',
  'intraday_adjustments',
  'pending_reg_taf_fees',
  'pending_transfer_in',
  'pending_transfer_out',
  'options_approved_level',
  'options_trading_level',
];

describe('GET /v2/account', () => {
  it('has every reference field, money as decimal strings', () => {
    const s = setup();
    const a = s.account();
    for (const f of REFERENCE_FIELDS) expect(a, f).toHaveProperty(f);
    expect(a).toMatchObject({
      id: demoAccount.id,
      account_number: demoAccount.accountNumber,
      created_at: demoAccount.createdAt,
      status: 'ACTIVE',
      currency: 'USD',
      multiplier: '2',
      cash: '100000',
      equity: '100000',
      portfolio_value: '100000',
      last_equity: '100000',
      buying_power: '200000',
      non_marginable_buying_power: '100000',
      long_market_value: '0',
      short_market_value: '0',
      daytrade_count: 0,
      pattern_day_trader: false,
      balance_asof: '2024-07-23',
    });
    for (const [k, v] of Object.entries(a)) {
      if (['daytrade_count', 'options_approved_level', 'options_trading_level', 'crypto_tier'].includes(k)) {
        expect(typeof v, k).toBe('number');
      } else if (typeof v === 'string' && /(_value|power|cash|equity|margin)$/.test(k)) {
        expect(v, k).toMatch(/^-?\d+(\.\d+)?$/);
      }
    }
  });

  it('is cached while nothing changes and rebuilt when something does', () => {
    const s = setup();
    const first = s.call('GET', '/v2/account').body;
    expect(s.call('GET', '/v2/account').body).toBe(first);
    s.fake.advance(60_000);
    expect(s.call('GET', '/v2/account').body).toBe(first); // no positions: time does not matter
    s.submit(marketBuy(1, { type: 'limit', limit_price: '50', time_in_force: 'gtc' }));
    const after = body(s.call('GET', '/v2/account'));
    expect(after).not.toBe(first);
    expect(after.buying_power).toBe('199950');
  });

  it('revalues positions as prices move', () => {
    const s = setup();
    s.submit(marketBuy(10));
    s.fake.advance(100);
    s.market.setPrice('AAPL', 90);
    expect(s.account()).toMatchObject({ equity: '99900', long_market_value: '900', cash: '99000' });
  });

  it('rolls the trading day at the close: last_equity, lastday_price, intraday P/L, balance_asof', () => {
    const s = setup({ session: 'daily' });
    s.submit(marketBuy(10));
    s.fake.advance(100);
    s.market.setPrice('AAPL', 110, START + 6 * HOUR - 1); // the close print (20:00 UTC)
    s.fake.advance(6 * HOUR);
    expect(s.account()).toMatchObject({ last_equity: '100100', balance_asof: '2024-07-23' });
    s.market.setPrice('AAPL', 115, START + 24 * HOUR);
    s.fake.advance(18 * HOUR);
    expect(s.account()).toMatchObject({ equity: '100150', last_equity: '100100' });
    const p = body(s.call('GET', '/v2/positions/AAPL'));
    expect(p).toMatchObject({
      lastday_price: '110',
      unrealized_intraday_pl: '50',
      unrealized_pl: '150',
      avg_entry_price: '100',
    });
    expect(Number(p.change_today)).toBeCloseTo(5 / 110, 9);
  });

  it('counts day trades (open and close the same day) over five trading days', () => {
    const s = setup({ session: 'daily' });
    const roundTrip = () => {
      s.submit(marketBuy(1));
      s.fake.advance(100);
      s.submit({ symbol: 'AAPL', qty: '1', side: 'sell', type: 'market', time_in_force: 'day' });
      s.fake.advance(100);
    };
    roundTrip();
    roundTrip();
    expect(s.account().daytrade_count).toBe(2);
    s.fake.advance(24 * HOUR);
    s.submit(marketBuy(1));
    s.fake.advance(24 * HOUR);
    s.submit({ symbol: 'AAPL', qty: '1', side: 'sell', type: 'market', time_in_force: 'day' });
    s.fake.advance(100);
    expect(s.account().daytrade_count).toBe(2); // held overnight: not a day trade
    s.fake.advance(5 * 24 * HOUR);
    expect(s.account().daytrade_count).toBe(0);
  });

  it('keeps accounts apart', () => {
    const other = { ...demoAccount, keyId: 'K2', id: '22222222-2222-4222-8222-222222222222', initialCash: 5000 };
    const s = setup({ accounts: [demoAccount, other] });
    s.submit(marketBuy(1));
    s.fake.advance(100);
    const theirs = s.call('GET', '/v2/account', { account: other }).body as Json;
    expect(theirs).toMatchObject({ id: other.id, cash: '5000', buying_power: '10000' });
    expect(s.call('GET', '/v2/orders', { account: other, query: { status: 'all' } }).body).toEqual([]);
    expect(s.events(other)).toEqual([]);
    expect(s.call('POST', '/v2/orders', { account: other, body: marketBuy(101) }).status).toBe(403);
  });
});

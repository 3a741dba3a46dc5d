/**
 * Validation of `POST /v2/orders` bodies into an {@link OrderSpec}, with Alpaca-like 422 messages that name
 * the field. Buying power, held quantity and duplicate client_order_id are the book's checks, not this file's.
 */
import { unprocessable } from '../errors.js';
import type { AssetInfo, MarketModel } from '../types.js';
import type { OrderClass, OrderType, PositionIntent, Side, TimeInForce } from './order.js';
import { ORDER_CLASSES, ORDER_TYPES, POSITION_INTENTS, SIDES, TIME_IN_FORCES } from './order.js';
import { boolField, decimalField, enumField, type JsonObject, objectField, priceField, stringField } from './parse.js';

export interface StopLossSpec {
  stopPrice: number;
  limitPrice: number | null;
}

/** The terms every order carries, whatever it is made from (a POST, a replace, a position close, an exit leg). */
export interface OrderTerms {
  asset: AssetInfo;
  side: Side;
  type: OrderType;
  tif: TimeInForce;
  qty: number | null;
  notional: number | null;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
  extendedHours: boolean;
  orderClass: OrderClass;
}

export interface OrderSpec extends OrderTerms {
  takeProfit: { limitPrice: number } | null;
  stopLoss: StopLossSpec | null;
  positionIntent: PositionIntent | undefined;
}

/** Looks an asset up by symbol (as given, then upper-cased) or id, refusing inactive and untradable ones. */
export function tradableAsset(market: MarketModel, symbol: string): AssetInfo {
  const asset = market.asset(symbol) ?? market.asset(symbol.toUpperCase());
  if (!asset) throw unprocessable(`asset "${symbol}" not found`);
  if (asset.status !== 'active') throw unprocessable(`asset ${asset.symbol} is not active`);
  if (!asset.tradable) throw unprocessable(`asset ${asset.symbol} is not tradable`);
  return asset;
}

/** A positive quantity with at most 9 decimals; `fractionable` false forbids decimals. */
export function positiveQty(value: number, places: number, name = 'qty'): number {
  if (!(value > 0)) throw unprocessable(`${name} must be > 0`);
  if (places > 9) throw unprocessable(`${name} must have no more than 9 decimal places`);
  return value;
}

function required<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw unprocessable(message);
  return value;
}

function parseQuantity(body: JsonObject): { qty: number | null; notional: number | null; fractional: boolean } {
  const qty = decimalField(body, 'qty');
  const notional = decimalField(body, 'notional');
  if (qty && notional) throw unprocessable('qty and notional cannot both be specified');
  if (notional) {
    if (!(notional.value > 0)) throw unprocessable('notional must be > 0');
    if (notional.places > 2) throw unprocessable('notional must be limited to 2 decimal places');
    return { qty: null, notional: notional.value, fractional: true };
  }
  if (!qty) throw unprocessable('qty is required');
  return { qty: positiveQty(qty.value, qty.places), notional: null, fractional: qty.places > 0 };
}

interface Prices {
  limitPrice: number | null;
  stopPrice: number | null;
  trailPrice: number | null;
  trailPercent: number | null;
}

function parsePrices(body: JsonObject, type: OrderType): Prices {
  const out: Prices = { limitPrice: null, stopPrice: null, trailPrice: null, trailPercent: null };
  if (type === 'limit' || type === 'stop_limit') {
    out.limitPrice = required(priceField(body, 'limit_price'), `limit_price is required for ${type} orders`);
  }
  if (type === 'stop' || type === 'stop_limit') {
    out.stopPrice = required(priceField(body, 'stop_price'), `stop_price is required for ${type} orders`);
  }
  if (type === 'trailing_stop') {
    const price = priceField(body, 'trail_price');
    const percent = decimalField(body, 'trail_percent');
    if (price !== undefined && percent)
      throw unprocessable('only one of trail_price or trail_percent may be specified');
    if (price === undefined && !percent) {
      throw unprocessable('trail_price or trail_percent is required for trailing_stop orders');
    }
    if (percent && !(percent.value > 0 && percent.value < 100)) {
      throw unprocessable('trail_percent must be between 0 and 100');
    }
    out.trailPrice = price ?? null;
    out.trailPercent = percent?.value ?? null;
  }
  return out;
}

function parseExits(body: JsonObject): { takeProfit: OrderSpec['takeProfit']; stopLoss: StopLossSpec | null } {
  const tp = objectField(body, 'take_profit');
  const sl = objectField(body, 'stop_loss');
  const takeProfit = tp
    ? {
        limitPrice: required(
          priceField(tp, 'limit_price', 'take_profit.limit_price'),
          'take_profit.limit_price is required',
        ),
      }
    : null;
  const stopLoss = sl
    ? {
        stopPrice: required(priceField(sl, 'stop_price', 'stop_loss.stop_price'), 'stop_loss.stop_price is required'),
        limitPrice: priceField(sl, 'limit_price', 'stop_loss.limit_price') ?? null,
      }
    : null;
  return { takeProfit, stopLoss };
}

/** Exit prices must sit on the profitable / protective side of the entry's base price. */
function checkExitPrices(spec: OrderSpec, base: number): void {
  const buy = spec.side === 'buy';
  const tp = spec.takeProfit;
  const sl = spec.stopLoss;
  if (tp && (buy ? tp.limitPrice < base + 0.01 : tp.limitPrice > base - 0.01)) {
    throw unprocessable(`take_profit.limit_price must be ${buy ? '>= base_price + 0.01' : '<= base_price - 0.01'}`);
  }
  if (sl && (buy ? sl.stopPrice > base - 0.01 : sl.stopPrice < base + 0.01)) {
    throw unprocessable(`stop_loss.stop_price must be ${buy ? '<= base_price - 0.01' : '>= base_price + 0.01'}`);
  }
}

function checkClass(spec: OrderSpec, price: () => number): void {
  const cls = spec.orderClass;
  if (cls === '' || cls === 'simple') {
    spec.takeProfit = null;
    spec.stopLoss = null;
    return;
  }
  if (spec.tif !== 'day' && spec.tif !== 'gtc') throw unprocessable(`${cls} orders must be day or gtc`);
  if (cls === 'oco') {
    if (spec.type !== 'limit') throw unprocessable('oco orders must be limit orders');
    if (!spec.takeProfit || !spec.stopLoss) throw unprocessable('oco orders require take_profit and stop_loss');
    spec.limitPrice = spec.takeProfit.limitPrice;
    const buy = spec.side === 'buy';
    if (
      buy
        ? spec.takeProfit.limitPrice >= spec.stopLoss.stopPrice
        : spec.takeProfit.limitPrice <= spec.stopLoss.stopPrice
    ) {
      throw unprocessable(`take_profit.limit_price must be ${buy ? '<' : '>'} stop_loss.stop_price`);
    }
    return;
  }
  if (spec.type === 'trailing_stop') throw unprocessable(`${cls} orders cannot have a trailing_stop entry`);
  if (cls === 'bracket') {
    if (!spec.takeProfit) throw unprocessable('take_profit is required for bracket orders');
    if (!spec.stopLoss) throw unprocessable('stop_loss is required for bracket orders');
  } else {
    if (!spec.takeProfit && !spec.stopLoss) throw unprocessable('oto orders require take_profit or stop_loss');
    if (spec.takeProfit && spec.stopLoss) throw unprocessable('oto orders take only one of take_profit or stop_loss');
  }
  checkExitPrices(spec, spec.limitPrice ?? spec.stopPrice ?? price());
}

/**
 * Parses and validates an order body (client_order_id excepted). `price(symbol)` is the current price, used
 * for the base price of bracket exits.
 */
export function parseOrderRequest(body: JsonObject, market: MarketModel, price: (symbol: string) => number): OrderSpec {
  const symbol = stringField(body, 'symbol');
  if (!symbol) throw unprocessable('symbol is required');
  const asset = tradableAsset(market, symbol);
  const quantity = parseQuantity(body);
  const side = required(enumField(body, 'side', SIDES), 'side is required');
  const type = required(enumField(body, 'type', ORDER_TYPES), 'type is required');
  const tif = required(enumField(body, 'time_in_force', TIME_IN_FORCES), 'time_in_force is required');
  const rawClass = enumField(body, 'order_class', ORDER_CLASSES) ?? '';
  if (rawClass === 'mleg') throw unprocessable('order_class mleg is not supported');
  const orderClass: OrderClass = rawClass;
  const exits = parseExits(body);
  // oco takes its limit from take_profit, so a missing limit_price is fine there.
  const prices =
    orderClass === 'oco' && type === 'limit' && body.limit_price === undefined && exits.takeProfit
      ? { limitPrice: exits.takeProfit.limitPrice, stopPrice: null, trailPrice: null, trailPercent: null }
      : parsePrices(body, type);
  const extendedHours = boolField(body, 'extended_hours') ?? false;
  const positionIntent = enumField(body, 'position_intent', POSITION_INTENTS);

  if ((tif === 'opg' || tif === 'cls' || tif === 'ioc' || tif === 'fok') && type !== 'market' && type !== 'limit') {
    throw unprocessable(`invalid time_in_force ${tif} for ${type} orders`);
  }
  const simple = orderClass === '' || orderClass === 'simple';
  if (extendedHours && (type !== 'limit' || (tif !== 'day' && tif !== 'gtc') || !simple)) {
    throw unprocessable('extended hours orders must be simple limit orders with time_in_force day or gtc');
  }
  if (quantity.fractional) {
    if (type !== 'market' || tif !== 'day' || !simple)
      throw unprocessable('fractional orders must be market day orders');
    if (!asset.fractionable) throw unprocessable(`asset ${asset.symbol} is not fractionable`);
  }
  const spec: OrderSpec = {
    asset,
    side,
    type,
    tif,
    qty: quantity.qty,
    notional: quantity.notional,
    ...prices,
    extendedHours,
    orderClass,
    ...exits,
    positionIntent,
  };
  checkClass(spec, () => price(asset.symbol));
  return spec;
}

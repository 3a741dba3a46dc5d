/**
 * Validation of `PATCH /v2/orders/{order_id}` bodies against the order being replaced. Which fields may
 * change depends on the order's type: limit_price for limit/stop_limit, stop_price for stop/stop_limit,
 * trail for trailing_stop (it replaces whichever of trail_price/trail_percent the order uses).
 */
import { unprocessable } from '../errors.js';
import { type SimOrder, TIME_IN_FORCES, type TimeInForce } from './order.js';
import { positiveQty } from './order-request.js';
import { clientOrderIdField, decimalField, enumField, type JsonObject, priceField } from './parse.js';

export interface ReplaceSpec {
  qty?: number;
  tif?: TimeInForce;
  limitPrice?: number;
  stopPrice?: number;
  trail?: number;
  clientOrderId?: string;
}

export function parseReplaceRequest(body: JsonObject, o: SimOrder): ReplaceSpec {
  const out: ReplaceSpec = {};
  const qty = decimalField(body, 'qty');
  if (qty) {
    out.qty = positiveQty(qty.value, qty.places);
    if (qty.places > 0) throw unprocessable('fractional orders must be market day orders');
  }
  const tif = enumField(body, 'time_in_force', TIME_IN_FORCES);
  if (tif) {
    const immediate = tif === 'opg' || tif === 'cls' || tif === 'ioc' || tif === 'fok';
    if (immediate && (o.type !== 'limit' || o.isLeg || o.extendedHours)) {
      throw unprocessable(`invalid time_in_force ${tif} for ${o.isLeg ? 'leg' : o.type} orders`);
    }
    out.tif = tif;
  }
  const limit = priceField(body, 'limit_price');
  if (limit !== undefined) {
    if (o.type !== 'limit' && o.type !== 'stop_limit')
      throw unprocessable(`limit_price cannot be set for ${o.type} orders`);
    out.limitPrice = limit;
  }
  const stop = priceField(body, 'stop_price');
  if (stop !== undefined) {
    if (o.type !== 'stop' && o.type !== 'stop_limit')
      throw unprocessable(`stop_price cannot be set for ${o.type} orders`);
    out.stopPrice = stop;
  }
  const trail = decimalField(body, 'trail');
  if (trail) {
    if (o.type !== 'trailing_stop') throw unprocessable(`trail cannot be set for ${o.type} orders`);
    if (!(trail.value > 0)) throw unprocessable('trail must be > 0');
    if (o.trailPercent !== null && !(trail.value < 100)) throw unprocessable('trail must be between 0 and 100');
    out.trail = trail.value;
  }
  const cid = clientOrderIdField(body);
  if (cid !== undefined) out.clientOrderId = cid;
  return out;
}

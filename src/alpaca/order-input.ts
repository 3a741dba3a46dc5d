import { z } from 'zod';
import { parseConfig } from '../core/config.js';
import type { ReplaceOrderRequest, SubmitOrderRequest } from './types.js';

/** Decimal amounts go to Alpaca as strings; numbers are accepted and converted without exponent notation. */
const decimal = z.union([
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "1.5"'),
  z
    .number()
    .finite()
    .nonnegative()
    .transform((n) => (Number.isInteger(n) ? String(n) : n.toFixed(9).replace(/0+$/, '').replace(/\.$/, ''))),
]);

export const clientOrderId = z.string().min(1).max(128, 'must be at most 128 characters (Alpaca limit)');

const submitSchema = z
  .object({
    symbol: z.string().min(1).max(64),
    qty: decimal.optional(),
    notional: decimal.optional(),
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']),
    time_in_force: z.enum(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']),
    limit_price: decimal.optional(),
    stop_price: decimal.optional(),
    trail_price: decimal.optional(),
    trail_percent: decimal.optional(),
    extended_hours: z.boolean().optional(),
    client_order_id: clientOrderId.optional(),
    order_class: z.enum(['simple', 'bracket', 'oco', 'oto', 'mleg', '']).optional(),
    take_profit: z.object({ limit_price: decimal }).optional(),
    stop_loss: z.object({ stop_price: decimal, limit_price: decimal.optional() }).optional(),
    position_intent: z.enum(['buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close']).optional(),
  })
  .passthrough()
  .refine((o) => o.qty !== undefined || o.notional !== undefined, {
    message: 'qty or notional is required',
    path: ['qty'],
  })
  .refine((o) => o.qty === undefined || o.notional === undefined, {
    message: 'give qty or notional, not both',
    path: ['notional'],
  });

export type SubmitBody = z.output<typeof submitSchema> & { client_order_id: string };

/** Validates a submit request locally (ConfigError `order.<field>`) and fixes its client_order_id. */
export function submitBody(input: SubmitOrderRequest, generateId: () => string): SubmitBody {
  const o = parseConfig(submitSchema, input, 'order');
  return { ...o, client_order_id: o.client_order_id ?? generateId() };
}

const replaceSchema = z
  .object({
    qty: decimal.optional(),
    time_in_force: z.enum(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']).optional(),
    limit_price: decimal.optional(),
    stop_price: decimal.optional(),
    trail: decimal.optional(),
    client_order_id: clientOrderId.optional(),
  })
  .strict();

export type ReplaceBody = z.output<typeof replaceSchema> & { client_order_id: string };

export function replaceBody(input: ReplaceOrderRequest, generateId: () => string): ReplaceBody {
  const o = parseConfig(replaceSchema, input, 'replace');
  return { ...o, client_order_id: o.client_order_id ?? generateId() };
}

/** Does an order found under our client_order_id carry what we asked for? (Guards against a reused id.) */
export function sameOrder(
  found: { symbol: string; side: string; type?: string; qty?: string | null; notional?: string | null },
  body: SubmitBody,
): boolean {
  const num = (v: string | null | undefined) => (v === undefined || v === null ? undefined : Number(v));
  return (
    found.symbol === body.symbol &&
    found.side === body.side &&
    (found.type === undefined || found.type === body.type) &&
    (body.qty === undefined || num(found.qty) === Number(body.qty)) &&
    (body.notional === undefined || num(found.notional) === Number(body.notional))
  );
}

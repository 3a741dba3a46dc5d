/** `GET /v2/orders`: query validation and the filtered, ordered, limited listing. */
import { unprocessable } from '../errors.js';
import { isAfter, isBefore, type ParsedTime, parseTimestamp } from './format.js';
import { isOpen, orderJson, SIDES, type Side, type SimOrder } from './order.js';
import type { OrderStore } from './order-store.js';
import { queryBool, queryEnum, queryInt } from './parse.js';

export interface ListQuery {
  status: 'open' | 'closed' | 'all';
  limit: number;
  after: ParsedTime | undefined;
  until: ParsedTime | undefined;
  direction: 'asc' | 'desc';
  nested: boolean;
  side: Side | undefined;
  symbols: ReadonlySet<string> | undefined;
}

function timeParam(q: URLSearchParams, name: string): ParsedTime | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const t = parseTimestamp(v);
  if (!t) throw unprocessable(`invalid ${name}`);
  return t;
}

export function parseListQuery(q: URLSearchParams): ListQuery {
  const symbols = (q.get('symbols') ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  return {
    status: queryEnum(q, 'status', ['open', 'closed', 'all'] as const, 'open'),
    limit: queryInt(q, 'limit', 1, 500, 50),
    after: timeParam(q, 'after'),
    until: timeParam(q, 'until'),
    direction: queryEnum(q, 'direction', ['asc', 'desc'] as const, 'desc'),
    nested: queryBool(q, 'nested', false),
    side: q.get('side') ? queryEnum(q, 'side', SIDES, 'buy') : undefined,
    symbols: symbols.length > 0 ? new Set(symbols) : undefined,
  };
}

function matches(o: SimOrder, q: ListQuery): boolean {
  // Nested: legs appear under their parent, and a bracket counts as open while any of its legs is.
  if (q.nested && o.isLeg && o.parent) return false;
  if (q.status !== 'all') {
    const open = isOpen(o) || (q.nested && (o.legs?.some(isOpen) ?? false));
    if (open !== (q.status === 'open')) return false;
  }
  if (q.side && o.side !== q.side) return false;
  if (q.symbols && !q.symbols.has(o.asset.symbol.toUpperCase())) return false;
  if (q.after && !isAfter(o.createdUs, q.after)) return false;
  if (q.until && !isBefore(o.createdUs, q.until)) return false;
  return true;
}

/** Orders by submission time (creation sequence), `direction` first, at most `limit`. O(#orders). */
export function listOrders(store: OrderStore, q: ListQuery): Record<string, unknown>[] {
  const source = q.status === 'open' && !q.nested ? [...store.open] : [...store.values()];
  const out: Record<string, unknown>[] = [];
  const n = source.length;
  for (let i = 0; i < n && out.length < q.limit; i++) {
    const o = source[q.direction === 'desc' ? n - 1 - i : i]!;
    if (matches(o, q)) out.push(orderJson(o, q.nested));
  }
  return out;
}

/**
 * Exactly-once order changes. A submit keeps one client_order_id across attempts; after an ambiguous failure it
 * looks the order up by that id and returns it, or resubmits only once the lookup proves it absent. A 422
 * "client_order_id must be unique" resolves to the existing order. Replace and cancel reconcile the same way.
 * Everything is bounded by attempts and a time budget; when the state cannot be settled: OrderStateUnknownError.
 */
import type { Clock } from '../core/clock.js';
import type { Emitter } from '../core/events.js';
import { type Random, uuidV4 } from '../core/random.js';
import type { TransportResponse } from '../http/transport.js';
import { OrderStateUnknownError } from './errors.js';
import type { ClientEvent } from './events.js';
import { replaceBody, sameOrder, submitBody } from './order-input.js';
import { type AttemptOutcome, fromError, fromResponse, isDuplicateClientOrderId } from './order-outcome.js';
import { Settle } from './order-settle.js';
import type { CallOptions, Pipeline, RequestSpec } from './pipeline.js';
import type { Order, ReplaceOrderRequest, SubmitOrderRequest } from './types.js';

export interface OrderOptions extends CallOptions {
  /** Time allowed to settle the order's state. @default the client's orders.budgetMs (60 s) */
  budgetMs?: number;
}

export interface OrderDeps {
  pipeline: Pipeline;
  clock: Clock;
  random: Random;
  events: Emitter<ClientEvent>;
  budgetMs: number;
  maxSubmitAttempts: number;
  /** Seeded ids in tests; crypto UUIDs otherwise. */
  newId: () => string;
}

export class OrderManager {
  constructor(private readonly d: OrderDeps) {}

  private spec(
    method: RequestSpec['method'],
    path: string,
    route: string,
    o: CallOptions,
    extra: Partial<RequestSpec> = {},
  ): RequestSpec {
    return {
      method,
      path,
      route,
      budget: 'trading',
      lane: 'orders',
      group: 'orders',
      idempotent: false,
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      deadlineMs: o.deadlineMs,
      ...extra,
    };
  }

  private async tryAttempt(spec: RequestSpec, n: number): Promise<AttemptOutcome> {
    try {
      return fromResponse(await this.d.pipeline.attempt(spec, n));
    } catch (err) {
      return fromError(err, spec.signal);
    }
  }

  private event(e: Omit<Extract<ClientEvent, { type: 'order' }>, 'type'>): void {
    if (this.d.events.hasListeners) this.d.events.fire({ type: 'order', ...e });
  }

  private unknown(
    action: OrderStateUnknownError['action'],
    s: Settle,
    cid: string | undefined,
    extra: { orderId?: string; symbol?: string } = {},
  ): OrderStateUnknownError {
    this.event({ action, step: 'unknown', clientOrderId: cid, orderId: extra.orderId });
    return new OrderStateUnknownError(action, cid, {
      ...extra,
      attempts: s.attempts,
      elapsedMs: this.d.clock.now() - s.start,
      cause: s.lastCause,
    });
  }

  /** GET by client_order_id on the critical lane: the order, null when proven absent, undefined when unknown. */
  private async lookup(cid: string, o: CallOptions): Promise<Order | null | undefined> {
    const spec: RequestSpec = {
      method: 'GET',
      path: '/v2/orders:by_client_order_id',
      route: '/v2/orders:by_client_order_id',
      query: { client_order_id: cid },
      budget: 'trading',
      lane: 'critical',
      group: 'trading',
      idempotent: true,
      signal: o.signal,
      timeoutMs: o.timeoutMs,
    };
    const out = await this.tryAttempt(spec, 1);
    if (out.kind === 'ok') return out.res.json<Order>();
    if (out.kind === 'rejected' && out.res.status === 404) return null;
    if (out.kind === 'aborted') throw out.cause;
    return undefined;
  }

  async submit(input: SubmitOrderRequest, o: OrderOptions = {}): Promise<Order> {
    const body = submitBody(input, this.d.newId);
    const cid = body.client_order_id;
    const s = new Settle(this.d, o.budgetMs ?? this.d.budgetMs, o.signal);
    const spec = this.spec('POST', '/v2/orders', '/v2/orders', o, { body });
    let duplicateSeen = false;
    let mode: 'post' | 'lookup' = 'post';
    for (;;) {
      if (mode === 'post') {
        if (s.attempts >= this.d.maxSubmitAttempts) {
          if (!s.ambiguous) throw s.lastCause;
          mode = 'lookup';
          continue;
        }
        s.attempts++;
        const out = await this.tryAttempt(spec, s.attempts);
        if (out.kind === 'ok') {
          try {
            return out.res.json<Order>();
          } catch (err) {
            s.ambiguous = true; // accepted but unreadable: the order exists, fetch it
            s.lastCause = err;
            mode = 'lookup';
            continue;
          }
        }
        if (out.kind === 'rejected') {
          if (!isDuplicateClientOrderId(out.res)) throw this.d.pipeline.apiError(spec, out.res);
          duplicateSeen = true;
          s.lastCause = this.d.pipeline.apiError(spec, out.res);
          mode = 'lookup';
          continue;
        }
        if (out.kind === 'aborted') {
          if (s.ambiguous || out.maybeSent) {
            s.lastCause = out.cause;
            throw this.unknown('submit', s, cid, { symbol: body.symbol });
          }
          throw out.cause;
        }
        s.lastCause = out.cause;
        if (out.kind === 'not-processed' || out.kind === 'refused') {
          // Nothing reached the server on this attempt. Without an earlier ambiguous attempt the caller's state is
          // known (no order), so a local refusal is reported as is; otherwise keep settling within the budget.
          if (out.kind === 'refused' && !s.ambiguous) throw out.cause;
          if (!(await s.pause(out.kind === 'refused' ? (out.retryAfterMs ?? 0) : out.delayMs))) break;
          if (s.ambiguous) mode = 'lookup';
          continue;
        }
        s.ambiguous = true;
        this.event({ action: 'submit', step: 'ambiguous', clientOrderId: cid, reason: String(describe(out.cause)) });
        mode = 'lookup';
        continue;
      }
      // mode === 'lookup'
      const found = await this.lookup(cid, o);
      if (found) {
        if (duplicateSeen && !s.ambiguous && !sameOrder(found, body)) throw s.lastCause; // the caller reused an id
        this.event({
          action: 'submit',
          step: duplicateSeen ? 'duplicate-resolved' : 'reconciled-found',
          clientOrderId: cid,
          orderId: found.id,
        });
        return found;
      }
      if (found === null && !duplicateSeen && s.attempts < this.d.maxSubmitAttempts) {
        this.event({ action: 'submit', step: 'reconciled-absent', clientOrderId: cid });
        mode = 'post';
        if (!(await s.pause())) break;
        continue;
      }
      // Unknown, or absent right after a duplicate answer (a lagging read): look again after a pause.
      if (!(await s.pause())) break;
    }
    throw this.unknown('submit', s, cid, { symbol: body.symbol });
  }

  async replace(orderId: string, input: ReplaceOrderRequest, o: OrderOptions = {}): Promise<Order> {
    const body = replaceBody(input, this.d.newId);
    const cid = body.client_order_id;
    const path = `/v2/orders/${encodeURIComponent(orderId)}`;
    const spec = this.spec('PATCH', path, '/v2/orders/{order_id}', o, { body });
    const s = new Settle(this.d, o.budgetMs ?? this.d.budgetMs, o.signal);
    let last: TransportResponse | undefined;
    for (;;) {
      if (s.attempts < this.d.maxSubmitAttempts) {
        s.attempts++;
        const out = await this.tryAttempt(spec, s.attempts);
        if (out.kind === 'ok') return out.res.json<Order>();
        if (out.kind === 'aborted') {
          if (s.ambiguous || out.maybeSent) throw this.unknown('replace', s, cid, { orderId });
          throw out.cause;
        }
        if (out.kind === 'rejected') {
          // A definite refusal, unless an earlier attempt may have replaced the order already.
          if (!s.ambiguous && !isDuplicateClientOrderId(out.res)) throw this.d.pipeline.apiError(spec, out.res);
          last = out.res;
        } else if (out.kind === 'refused' && !s.ambiguous) {
          throw out.cause;
        } else if (out.kind === 'not-processed' || out.kind === 'refused') {
          s.lastCause = out.cause;
          if (!(await s.pause(out.kind === 'refused' ? (out.retryAfterMs ?? 0) : 0))) break;
          if (!s.ambiguous) continue;
        } else {
          s.ambiguous = true;
          s.lastCause = out.cause;
          this.event({ action: 'replace', step: 'ambiguous', clientOrderId: cid, orderId });
        }
      }
      // Reconcile: our replacement exists under its client_order_id, or the original tells what happened.
      const found = await this.lookup(cid, o);
      if (found) {
        this.event({ action: 'replace', step: 'reconciled-found', clientOrderId: cid, orderId: found.id });
        return found;
      }
      if (found === null) {
        const original = await this.getOrder(orderId, o);
        if (original && (original.status === 'replaced' || isFinal(original.status))) {
          // Replaced by someone else, filled or canceled: our replacement did not happen.
          if (last) throw this.d.pipeline.apiError(spec, last);
          throw this.unknown('replace', s, cid, { orderId });
        }
        if (original && original.status !== 'pending_replace' && s.attempts < this.d.maxSubmitAttempts) {
          this.event({ action: 'replace', step: 'reconciled-absent', clientOrderId: cid, orderId });
          if (!(await s.pause())) break;
          continue;
        }
      }
      if (s.attempts >= this.d.maxSubmitAttempts && s.remainingMs <= 0) break;
      if (!(await s.pause())) break;
    }
    throw this.unknown('replace', s, cid, { orderId });
  }

  /** Cancels; a retried cancel that meets 422/404 confirms the final state before reporting. */
  async cancel(orderId: string, o: OrderOptions = {}): Promise<void> {
    const path = `/v2/orders/${encodeURIComponent(orderId)}`;
    const spec = this.spec('DELETE', path, '/v2/orders/{order_id}', o, { lane: 'critical', idempotent: true });
    const s = new Settle(this.d, o.budgetMs ?? this.d.budgetMs, o.signal);
    for (;;) {
      s.attempts++;
      const out = await this.tryAttempt(spec, s.attempts);
      if (out.kind === 'ok') return;
      if (out.kind === 'rejected') {
        if (s.attempts === 1 || (out.res.status !== 422 && out.res.status !== 404))
          throw this.d.pipeline.apiError(spec, out.res);
        const order = await this.getOrder(orderId, o);
        if (order && (order.status === 'canceled' || order.status === 'pending_cancel')) {
          this.event({ action: 'cancel', step: 'reconciled-found', orderId });
          return;
        }
        throw this.d.pipeline.apiError(spec, out.res);
      }
      if (out.kind === 'aborted') throw out.cause;
      if (out.kind === 'refused' && s.attempts === 1) throw out.cause;
      s.lastCause = out.cause;
      if (s.attempts >= this.d.maxSubmitAttempts) break;
      if (!(await s.pause(out.kind === 'refused' ? (out.retryAfterMs ?? 0) : 0))) break;
    }
    throw this.unknown('cancel', s, undefined, { orderId });
  }

  /** GET an order by id through the idempotent pipeline: the order, or undefined when absent. */
  private async getOrder(orderId: string, o: CallOptions): Promise<Order | undefined> {
    const res = await this.d.pipeline.send(
      {
        method: 'GET',
        path: `/v2/orders/${encodeURIComponent(orderId)}`,
        route: '/v2/orders/{order_id}',
        budget: 'trading',
        lane: 'critical',
        group: 'trading',
        idempotent: true,
        signal: o.signal,
      },
      [404],
    );
    return res.status === 404 ? undefined : res.json<Order>();
  }
}

function isFinal(status: string): boolean {
  return (
    status === 'filled' ||
    status === 'canceled' ||
    status === 'expired' ||
    status === 'rejected' ||
    status === 'done_for_day'
  );
}

function describe(cause: unknown): string {
  if (typeof cause === 'number') return `HTTP ${cause}`;
  if (cause && typeof cause === 'object' && 'code' in cause) return String((cause as { code: unknown }).code);
  return 'error';
}

/** Default id generator: crypto UUIDs, which must never collide across processes. */
export const cryptoId = (): string => uuidV4();

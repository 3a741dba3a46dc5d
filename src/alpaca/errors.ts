import { CorralError } from '../core/errors.js';

/**
 * An order request may or may not have taken effect, and corral could not find out within its budget. The order
 * is NOT known to be absent: look it up (`getOrderByClientId(clientOrderId)`) before doing anything else.
 */
export class OrderStateUnknownError extends CorralError {
  readonly code = 'CORRAL_ORDER_STATE_UNKNOWN';
  constructor(
    readonly action: 'submit' | 'replace' | 'cancel' | 'close',
    /** The client_order_id the request carried (for replace: the replacement's). */
    readonly clientOrderId: string | undefined,
    details: { orderId?: string; symbol?: string; attempts: number; elapsedMs: number; cause?: unknown },
  ) {
    super(
      `${action} state unknown after ${details.attempts} attempt(s) in ${Math.round(details.elapsedMs)} ms` +
        (clientOrderId ? ` (client_order_id ${clientOrderId})` : '') +
        (details.cause instanceof Error ? `: ${details.cause.message}` : ''),
      { cause: details.cause },
    );
    this.orderId = details.orderId;
    this.symbol = details.symbol;
    this.attempts = details.attempts;
  }
  readonly orderId: string | undefined;
  readonly symbol: string | undefined;
  readonly attempts: number;
}

/** The server's pagination misbehaved (a page token came back twice): stopping instead of looping forever. */
export class PaginationError extends CorralError {
  readonly code = 'CORRAL_PAGINATION';
}

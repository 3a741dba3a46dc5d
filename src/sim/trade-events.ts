import { Emitter } from '../core/events.js';

/** One `trade_updates` payload (the `data` of `{"stream":"trade_updates","data":...}`). */
export interface TradeUpdate {
  event: string;
  /** ULID-like, increasing. */
  event_id: string;
  execution_id?: string;
  order: Record<string, unknown>;
  timestamp: string;
  at: string;
  price?: string;
  qty?: string;
  position_qty?: string;
}

export interface RecordedTradeUpdate {
  /** Sequence number, starting at 1, across all accounts. */
  seq: number;
  accountId: string;
  update: TradeUpdate;
}

/**
 * Bounded log of every order state change, per account, for the trade_updates stream and the SSE endpoint.
 * Oldest entries are dropped past `capacity`; `dropped` counts them.
 */
export class TradeEventLog {
  private buf: RecordedTradeUpdate[] = [];
  private seq = 0;
  dropped = 0;
  private readonly emitter = new Emitter<RecordedTradeUpdate>();
  readonly onUpdate = this.emitter.event;

  constructor(readonly capacity = 100_000) {}

  append(accountId: string, update: Omit<TradeUpdate, 'event_id'>): RecordedTradeUpdate {
    const seq = ++this.seq;
    const rec: RecordedTradeUpdate = {
      seq,
      accountId,
      update: { ...update, event_id: eventId(seq, update.at) } as TradeUpdate,
    };
    this.buf.push(rec);
    if (this.buf.length > this.capacity) {
      this.buf.splice(0, this.buf.length - this.capacity);
      this.dropped++;
    }
    this.emitter.fire(rec);
    return rec;
  }

  /** Updates of `accountId` with seq > afterSeq, oldest first, at most `limit`. */
  since(accountId: string, afterSeq = 0, limit = 1000): RecordedTradeUpdate[] {
    const out: RecordedTradeUpdate[] = [];
    for (const r of this.buf) {
      if (r.seq > afterSeq && r.accountId === accountId) {
        out.push(r);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  get size(): number {
    return this.buf.length;
  }

  clear(): void {
    this.buf = [];
    this.dropped = 0;
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID-shaped id (26 chars: 10 time + 16 sequence), monotonic in seq. */
function eventId(seq: number, atIso: string): string {
  let t = Date.parse(atIso);
  if (!Number.isFinite(t)) t = 0;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let s = seq;
  let rest = '';
  for (let i = 0; i < 16; i++) {
    rest = CROCKFORD[s % 32] + rest;
    s = Math.floor(s / 32);
  }
  return time + rest;
}

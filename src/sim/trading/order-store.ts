/**
 * Per-account order storage: O(1) lookup by id and client_order_id, the open set in creation order, and a
 * bounded history. When full, the oldest terminal orders (with their legs) are evicted down to 90 % of the
 * capacity in one pass, so the scan is amortised; an evicted order's client_order_id may be reused.
 */
import { isOpen, type SimOrder } from './order.js';

export class OrderStore {
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, SimOrder>();
  /** Non-terminal orders, in creation order (the engine steps them FIFO). */
  readonly open = new Set<SimOrder>();
  evicted = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): SimOrder | undefined {
    return this.byId.get(id);
  }

  byClientOrderId(cid: string): SimOrder | undefined {
    return this.byClientId.get(cid);
  }

  insert(o: SimOrder): void {
    this.byId.set(o.id, o);
    this.byClientId.set(o.clientOrderId, o);
    if (isOpen(o)) this.open.add(o);
  }

  /** Call when `o` turns terminal. */
  closed(o: SimOrder): void {
    this.open.delete(o);
  }

  /** All orders, oldest first. */
  values(): IterableIterator<SimOrder> {
    return this.byId.values();
  }

  /** Makes room for `n` more orders if possible; false when the store is full of open orders. */
  ensureRoom(n: number): boolean {
    if (this.byId.size + n <= this.capacity) return true;
    const target = Math.floor(this.capacity * 0.9);
    for (const o of this.byId.values()) {
      if (this.byId.size + n <= target) break;
      // Legs go with their parent, so a nested listing never shows a bracket without its exits.
      if ((o.isLeg && o.parent) || isOpen(o) || o.legs?.some(isOpen)) continue;
      this.drop(o);
      for (const leg of o.legs ?? []) this.drop(leg);
    }
    return this.byId.size + n <= this.capacity;
  }

  private drop(o: SimOrder): void {
    if (!this.byId.delete(o.id)) return;
    if (this.byClientId.get(o.clientOrderId) === o) this.byClientId.delete(o.clientOrderId);
    this.evicted++;
  }

  clear(): void {
    this.byId.clear();
    this.byClientId.clear();
    this.open.clear();
  }
}

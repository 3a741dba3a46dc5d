import type { Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import { Emitter, type Event } from '../core/events.js';
import { SlidingLog } from './sliding-log.js';
import type {
  AdmitRequest,
  AdmitResult,
  LimiterStore,
  Prediction,
  StoreScope,
  StoreSession,
  StoreStatus,
  StoreUsage,
} from './store.js';

interface ScopeState {
  readonly log: SlidingLog;
  readonly clock: Clock;
  readonly windowsMs: readonly number[];
  blockedUntil: number;
  readonly changed: Emitter<StoreSession>;
}

const NEVER_DEGRADED: StoreStatus = { degraded: false };

/**
 * In-process store (the default). Synchronous, so `tryAcquire` works. Limiters opened on the same MemoryStore with the
 * same key and name share one budget (as processes sharing a RedisStore do); they must use the same Clock.
 */
export class MemoryStore implements LimiterStore {
  readonly kind = 'memory';
  private readonly scopes = new Map<string, ScopeState>();

  open(scope: StoreScope): StoreSession {
    const id = `${scope.key}\u0000${scope.name}`;
    let state = this.scopes.get(id);
    if (!state) {
      state = {
        log: new SlidingLog(scope.windowsMs, scope.maxHoldMs),
        clock: scope.clock,
        windowsMs: [...scope.windowsMs],
        blockedUntil: Number.NEGATIVE_INFINITY,
        changed: new Emitter<StoreSession>(),
      };
      this.scopes.set(id, state);
    } else {
      if (state.clock !== scope.clock) {
        throw new ConfigError('store', 'limiters sharing a MemoryStore budget must share one Clock');
      }
      if (state.windowsMs.join() !== scope.windowsMs.join()) {
        throw new ConfigError('windows', `budget "${scope.name}" is already open with windows ${state.windowsMs}`);
      }
    }
    return new MemorySession(state);
  }
}

class MemorySession implements StoreSession {
  readonly kind = 'memory';
  readonly synchronous = true;
  private readonly statusEmitter = new Emitter<StoreStatus>();
  private readonly changeEmitter = new Emitter<void>();
  private readonly subscription;
  readonly onStatus: Event<StoreStatus> = this.statusEmitter.event;
  readonly onChange: Event<void> = this.changeEmitter.event;

  constructor(private readonly state: ScopeState) {
    this.subscription = state.changed.event((from) => {
      if (from !== this) this.changeEmitter.fire();
    });
  }

  admit(request: AdmitRequest): AdmitResult {
    const now = this.state.clock.now();
    const blockedMs = Math.max(0, this.state.blockedUntil - now);
    if (blockedMs > 0) {
      return {
        admitted: false,
        waitMs: Math.max(blockedMs, this.state.log.waitFor(now, request.weight, request.caps)),
        blockedMs,
      };
    }
    const waitMs = this.state.log.admit(now, request.id, request.weight, request.caps);
    return waitMs === 0 ? { admitted: true } : { admitted: false, waitMs, blockedMs: 0 };
  }

  admitHold(now: number, weight: number, caps: readonly number[]): number {
    if (this.state.blockedUntil > now) return -1;
    return this.state.log.admitHold(now, weight, caps);
  }

  releaseHold(hold: number, sent: boolean): void {
    const released = this.state.log.releaseHold(this.state.clock.now(), hold, sent);
    if (released && !sent) this.state.changed.fire(this);
  }

  predict(demand: number, caps: readonly number[]): Prediction {
    const now = this.state.clock.now();
    const blockedMs = Math.max(0, this.state.blockedUntil - now);
    return { waitMs: Math.max(blockedMs, this.state.log.waitFor(now, demand, caps)), blockedMs };
  }

  release(id: string, _weight: number, sent: boolean): void {
    const released = this.state.log.release(this.state.clock.now(), id, sent);
    if (released && !sent) this.state.changed.fire(this);
  }

  block(ms: number): void {
    const until = this.state.clock.now() + ms;
    if (until > this.state.blockedUntil) this.state.blockedUntil = until;
  }

  usage(): StoreUsage {
    return { used: this.state.log.used(this.state.clock.now()), exact: true };
  }

  status(): StoreStatus {
    return NEVER_DEGRADED;
  }

  async close(): Promise<void> {
    this.subscription.dispose();
    this.statusEmitter.dispose();
    this.changeEmitter.dispose();
  }
}

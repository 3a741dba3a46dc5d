/**
 * One breaker per endpoint group ("orders", "account", "market-data"...), created on first use. Groups are
 * deliberately coarse and few: a breaker per URL would never see enough samples, and its name is a metrics label.
 */
import { ConfigError } from '../core/errors.js';
import { type Disposable, Emitter, type Event } from '../core/events.js';
import { type BreakerState, type BreakerStateChange, CircuitBreaker, type CircuitBreakerOptions } from './breaker.js';

export interface BreakerRegistryOptions {
  /** Options shared by every breaker. @default CircuitBreaker's defaults */
  defaults?: Omit<CircuitBreakerOptions, 'name'>;
  /** Per-group overrides, merged over `defaults`. @default {} */
  groups?: Readonly<Record<string, Omit<CircuitBreakerOptions, 'name'>>>;
  /** Most groups allowed; guards against a per-URL group name leaking in. @default 64 */
  maxGroups?: number;
}

export class BreakerRegistry {
  private readonly breakers = new Map<string, { breaker: CircuitBreaker; sub: Disposable }>();
  private readonly emitter = new Emitter<BreakerStateChange>();
  private readonly maxGroups: number;
  /** State changes of every breaker in the registry. */
  readonly onStateChange: Event<BreakerStateChange> = this.emitter.event;

  constructor(private readonly options: BreakerRegistryOptions = {}) {
    const max = options.maxGroups ?? 64;
    if (!Number.isInteger(max) || max < 1) throw new ConfigError('breakers.maxGroups', 'must be a positive integer');
    this.maxGroups = max;
  }

  /** The breaker of `group`, created with the merged options on first use. */
  get(group: string): CircuitBreaker {
    const existing = this.breakers.get(group);
    if (existing) return existing.breaker;
    if (typeof group !== 'string' || group.length === 0 || group.length > 100) {
      throw new ConfigError('breakers.group', 'must be a non-empty name of at most 100 characters');
    }
    if (this.breakers.size >= this.maxGroups) {
      throw new ConfigError('breakers.group', `at most ${this.maxGroups} groups (maxGroups); use coarse group names`);
    }
    const breaker = new CircuitBreaker({ ...this.options.defaults, ...this.options.groups?.[group], name: group });
    const sub = breaker.onStateChange((change) => this.emitter.fire(change));
    this.breakers.set(group, { breaker, sub });
    return breaker;
  }

  /** Snapshot of every breaker created so far. */
  states(): Record<string, BreakerState> {
    const out: Record<string, BreakerState> = {};
    for (const [group, { breaker }] of this.breakers) out[group] = breaker.state();
    return out;
  }

  groups(): string[] {
    return [...this.breakers.keys()];
  }

  dispose(): void {
    for (const { breaker, sub } of this.breakers.values()) {
      sub.dispose();
      breaker.dispose();
    }
    this.breakers.clear();
    this.emitter.dispose();
  }
}

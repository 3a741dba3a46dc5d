/**
 * One limiter's binding to a RedisStore. Link state is a discriminated union: `shared` (Redis answers) or `degraded`
 * (Redis unreachable: a local log limited to `fallbackShare` of each window, or fail-closed). Recovery writes the
 * local admissions of the still-open windows and the releases that could not be sent back to Redis.
 */
import type { Cluster, Redis } from 'ioredis';
import type { Clock } from '../core/clock.js';
import { Emitter, type Event } from '../core/events.js';
import { randomToken } from '../core/random.js';
import { redactText } from '../core/redact.js';
import { StoreUnavailableError } from './errors.js';
import { ADMIT, BLOCK, type LuaScript, RELEASE, RESTORE } from './redis-scripts.js';
import type { ResolvedRedisOptions } from './redis-store.js';
import { type LogRecord, SlidingLog } from './sliding-log.js';
import type {
  AdmitRequest,
  AdmitResult,
  Prediction,
  StoreScope,
  StoreSession,
  StoreStatus,
  StoreUsage,
} from './store.js';

type Link = { state: 'shared' } | { state: 'degraded'; reason: string; nextProbeAt: number };

interface PendingRelease {
  id: string;
  weight: number;
  sent: boolean;
  at: number;
}

/** Releases kept for replay while Redis is down (older ones are dropped: their holds auto-release after maxHoldMs). */
const MAX_PENDING = 10_000;
/** Records per RESTORE call, so one call stays small. */
const RESTORE_CHUNK = 200;

export class RedisSession implements StoreSession {
  readonly kind = 'redis';
  readonly synchronous = false;
  private readonly statusEmitter = new Emitter<StoreStatus>();
  private readonly changeEmitter = new Emitter<void>();
  readonly onStatus: Event<StoreStatus> = this.statusEmitter.event;
  readonly onChange: Event<void> = this.changeEmitter.event;
  private readonly clock: Clock;
  private readonly keys: [string, string, string];
  private readonly ttlMs: number;
  private readonly windowArgs: number[];
  private readonly tag = randomToken(6);
  private link: Link = { state: 'shared' };
  private fallback: SlidingLog;
  private fallbackBlockUntil = Number.NEGATIVE_INFINITY;
  /** Holds admitted by the fallback log (not in Redis until written back). */
  private readonly localIds = new Set<string>();
  private pending: PendingRelease[] = [];
  private releasedDuringRecovery: PendingRelease[] = [];
  private recovering: Promise<void> | undefined;
  private connecting: Promise<void> | undefined;
  private lastUsed: number[];
  private restoreSeq = 0;
  private closed = false;
  private readonly onReady = () => {
    if (this.link.state === 'degraded') void this.recover();
  };

  constructor(
    private readonly client: Redis | Cluster,
    private readonly scope: StoreScope,
    private readonly options: ResolvedRedisOptions,
    private readonly onClose: () => void,
  ) {
    this.clock = scope.clock;
    const base = `corral:{${scope.key}}:${scope.name}`;
    this.keys = [`${base}:inflight`, `${base}:released`, `${base}:block`];
    this.ttlMs = Math.ceil(Math.max(...scope.windowsMs) + scope.maxHoldMs);
    this.windowArgs = [...scope.windowsMs];
    this.fallback = new SlidingLog(scope.windowsMs, scope.maxHoldMs);
    this.lastUsed = scope.windowsMs.map(() => 0);
    client.on('ready', this.onReady);
  }

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    await this.prepare();
    if (this.link.state === 'shared') {
      try {
        const n = this.windowArgs.length;
        const args = ['admit', this.ttlMs, this.scope.maxHoldMs, req.id, req.weight, req.weight, n];
        return this.readAdmit(await this.run(ADMIT, [...args, ...this.windowArgs, ...req.caps]));
      } catch (err) {
        this.degrade(err);
      }
    }
    this.failClosed();
    const now = this.clock.now();
    const caps = this.localCaps(req.caps);
    const blockedMs = Math.max(0, this.fallbackBlockUntil - now);
    if (blockedMs > 0)
      return { admitted: false, waitMs: Math.max(blockedMs, this.fallback.waitFor(now, req.weight, caps)), blockedMs };
    const waitMs = this.fallback.admit(now, req.id, req.weight, caps);
    if (waitMs > 0) return { admitted: false, waitMs, blockedMs: 0 };
    this.localIds.add(req.id);
    return { admitted: true };
  }

  async predict(demand: number, caps: readonly number[]): Promise<Prediction> {
    await this.prepare();
    if (this.link.state === 'shared') {
      try {
        const args = ['peek', this.ttlMs, this.scope.maxHoldMs, '', 1, demand, this.windowArgs.length];
        const r = this.readAdmit(await this.run(ADMIT, [...args, ...this.windowArgs, ...caps]));
        return r.admitted ? { waitMs: 0, blockedMs: 0 } : r;
      } catch (err) {
        this.degrade(err);
      }
    }
    this.failClosed();
    const now = this.clock.now();
    const blockedMs = Math.max(0, this.fallbackBlockUntil - now);
    return { waitMs: Math.max(blockedMs, this.fallback.waitFor(now, demand, this.localCaps(caps))), blockedMs };
  }

  async release(id: string, weight: number, sent: boolean): Promise<void> {
    if (this.closed) return;
    const now = this.clock.now();
    if (this.localIds.delete(id)) {
      this.fallback.release(now, id, sent);
      // Being written back right now as a hold: the release must follow it to Redis.
      if (this.recovering) this.releasedDuringRecovery.push({ id, weight, sent, at: now });
      return;
    }
    if (this.link.state === 'shared') {
      try {
        await this.run(RELEASE, [this.ttlMs, id, weight, sent ? '1' : '0', 0]);
        return;
      } catch (err) {
        this.degrade(err);
      }
    }
    this.pending.push({ id, weight, sent, at: now });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
  }

  async block(ms: number): Promise<void> {
    if (this.closed) return;
    const until = this.clock.now() + ms;
    if (until > this.fallbackBlockUntil) this.fallbackBlockUntil = until;
    if (this.link.state !== 'shared') return;
    try {
      await this.run(BLOCK, [this.ttlMs, Math.ceil(ms)]);
    } catch (err) {
      this.degrade(err);
    }
  }

  usage(): StoreUsage {
    if (this.link.state === 'shared') return { used: this.lastUsed, exact: false };
    return { used: this.fallback.used(this.clock.now()), exact: true, capShare: this.options.fallbackShare };
  }

  status(): StoreStatus {
    return this.link.state === 'shared' ? { degraded: false } : { degraded: true, reason: this.link.reason };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.off('ready', this.onReady);
    await this.recovering?.catch(() => {});
    this.statusEmitter.dispose();
    this.changeEmitter.dispose();
    this.onClose();
  }

  // ---- link -----------------------------------------------------------------------------------------------------

  /** First call waits for the initial connection; a degraded link probes Redis once `recoverAfterMs` has passed. */
  private async prepare(): Promise<void> {
    if (!this.connecting) this.connecting = this.waitForConnection();
    await this.connecting;
    if (this.recovering) await this.recovering;
    else if (this.link.state === 'degraded' && this.clock.now() >= this.link.nextProbeAt) await this.recover();
  }

  private async waitForConnection(): Promise<void> {
    const c = this.client;
    if (c.status === 'wait') c.connect().catch(() => {});
    if (c.status !== 'wait' && c.status !== 'connecting' && c.status !== 'connect') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        c.off('ready', done);
        c.off('error', done);
        c.off('end', done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, this.options.connectTimeoutMs);
      c.once('ready', done);
      c.once('error', done);
      c.once('end', done);
    });
  }

  private degrade(err: unknown): void {
    const reason = this.describe(err);
    const nextProbeAt = this.clock.now() + this.options.recoverAfterMs;
    if (this.link.state === 'degraded') {
      this.link.nextProbeAt = nextProbeAt;
      return;
    }
    this.link = { state: 'degraded', reason, nextProbeAt };
    this.statusEmitter.fire({ degraded: true, reason });
  }

  private recover(): Promise<void> {
    if (this.recovering) return this.recovering;
    if (this.link.state !== 'degraded' || this.closed) return Promise.resolve();
    this.recovering = this.writeBack(this.link).finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  /** Copies the fallback log's open records, pending releases and any block to Redis; on success the link is shared. */
  private async writeBack(link: Extract<Link, { state: 'degraded' }>): Promise<void> {
    const now = this.clock.now();
    if (this.client.status !== 'ready') {
      link.nextProbeAt = now + this.options.recoverAfterMs;
      return;
    }
    const { inFlight, released } = this.fallback.records(now);
    const tag = `${this.tag}.f${++this.restoreSeq}`;
    const relabelled = released.map((r) => ({ ...r, id: `${tag}.${r.id}` }));
    try {
      const replays = this.pending.slice();
      const blockMs = Math.max(0, this.fallbackBlockUntil - now);
      await this.restore(inFlight, relabelled, replays, blockMs, now);
      this.pending.splice(0, replays.length);
      // Releases that arrived while we were writing back.
      for (let r = this.pending.shift(); r; r = this.pending.shift()) await this.replay(r);
      for (let r = this.releasedDuringRecovery.shift(); r; r = this.releasedDuringRecovery.shift())
        await this.replay(r);
      const blockLeft = this.fallbackBlockUntil - this.clock.now();
      if (blockLeft > blockMs) await this.run(BLOCK, [this.ttlMs, Math.ceil(blockLeft)]);
      this.fallback = new SlidingLog(this.scope.windowsMs, this.scope.maxHoldMs);
      this.localIds.clear();
      this.link = { state: 'shared' };
      this.statusEmitter.fire({ degraded: false });
    } catch (err) {
      this.releasedDuringRecovery = [];
      link.reason = this.describe(err);
      link.nextProbeAt = this.clock.now() + this.options.recoverAfterMs;
    }
  }

  private async restore(
    inFlight: LogRecord[],
    released: LogRecord[],
    replays: PendingRelease[],
    blockMs: number,
    now: number,
  ): Promise<void> {
    type Entry =
      | { kind: 'hold'; r: LogRecord }
      | { kind: 'released'; r: LogRecord }
      | { kind: 'replay'; r: PendingRelease };
    const entries: Entry[] = [
      ...inFlight.map((r) => ({ kind: 'hold' as const, r })),
      ...released.map((r) => ({ kind: 'released' as const, r })),
      ...replays.map((r) => ({ kind: 'replay' as const, r })),
    ];
    // At least one call, so a block alone is written back too.
    for (let i = 0; i === 0 || i < entries.length; i += RESTORE_CHUNK) {
      const chunk = entries.slice(i, i + RESTORE_CHUNK);
      const holds: Array<string | number> = [];
      const rels: Array<string | number> = [];
      const reps: Array<string | number> = [];
      for (const e of chunk) {
        if (e.kind === 'hold') holds.push(e.r.id, e.r.weight, e.r.agoMs);
        else if (e.kind === 'released') rels.push(e.r.id, e.r.weight, e.r.agoMs);
        else reps.push(e.r.id, e.r.weight, e.r.sent ? '1' : '0', now - e.r.at);
      }
      const head = [this.ttlMs, i === 0 ? Math.ceil(blockMs) : 0, holds.length / 3, rels.length / 3, reps.length / 4];
      await this.run(RESTORE, [...head, ...holds, ...rels, ...reps]);
    }
  }

  private replay(r: PendingRelease): Promise<unknown> {
    return this.run(RELEASE, [this.ttlMs, r.id, r.weight, r.sent ? '1' : '0', this.clock.now() - r.at]);
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  private failClosed(): void {
    if (this.options.onUnavailable === 'fail-closed') {
      const reason = this.link.state === 'degraded' ? this.link.reason : 'unreachable';
      throw new StoreUnavailableError(`the shared rate-limit store is unavailable (${reason})`);
    }
  }

  private localCaps(caps: readonly number[]): number[] {
    return caps.map((c) => Math.max(1, Math.floor(c * this.options.fallbackShare)));
  }

  private readAdmit(reply: unknown): AdmitResult {
    const r = (reply as Array<number | string>).map(Number);
    this.lastUsed = r.slice(4);
    if (r[0] === 1) return { admitted: true };
    return { admitted: false, waitMs: r[1]!, blockedMs: r[2]! };
  }

  /** EVALSHA (EVAL on NOSCRIPT), failing fast when the link is not ready or the reply is late. */
  private async run(s: LuaScript, args: Array<string | number>): Promise<unknown> {
    if (this.client.status !== 'ready') throw new Error(`redis connection is ${this.client.status}`);
    const call = this.client.evalsha(s.sha, 3, ...this.keys, ...args).catch((err: unknown) => {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return this.client.eval(s.source, 3, ...this.keys, ...args);
      }
      throw err;
    });
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(
        () => reject(new Error(`redis call timed out after ${this.options.commandTimeoutMs} ms`)),
        this.options.commandTimeoutMs,
      );
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      this.clock.clearTimeout(timer);
      call.catch(() => {});
    }
  }

  private describe(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    return redactText(text, this.options.secrets).slice(0, 200);
  }
}

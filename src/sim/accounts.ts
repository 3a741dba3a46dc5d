import { timingSafeEqual } from 'node:crypto';
import { SeededRandom, uuidV4 } from '../core/random.js';
import type { RateSpec, ResolvedSimOptions } from './options.js';
import { RateBucket } from './rate-limit.js';
import type { HostClass, SimAccount } from './types.js';

export interface AccountEntry {
  index: number;
  account: SimAccount;
  secret: Buffer;
  buckets: Record<HostClass, RateBucket | undefined>;
}

/** Accounts keyed by API key id, each with its own rate buckets per host class. */
export class AccountRegistry {
  private readonly byKey = new Map<string, AccountEntry>();
  readonly list: SimAccount[];

  constructor(private readonly o: ResolvedSimOptions) {
    this.list = o.accounts.map((a, index) => {
      const r = new SeededRandom(`${o.seed}/account/${a.keyId}`);
      const account: SimAccount = {
        keyId: a.keyId,
        secretKey: a.secretKey,
        id: uuidV4(r),
        accountNumber: `PA3${Math.floor(r.next() * 1e9)
          .toString(36)
          .toUpperCase()
          .padStart(6, '0')}`,
        createdAt: '2024-01-02T15:00:00.000000Z',
        initialCash: a.cash,
      };
      this.byKey.set(a.keyId, { index, account, secret: Buffer.from(a.secretKey), buckets: this.newBuckets() });
      return account;
    });
  }

  private newBuckets(): Record<HostClass, RateBucket | undefined> {
    const make = (spec: RateSpec | undefined) =>
      spec ? new RateBucket(spec, this.o.burst, this.o.policy, this.o.timeScale) : undefined;
    return { trading: make(this.o.rate), data: make(this.o.dataRate) };
  }

  /** The entry whose key id and secret both match, compared in constant time. */
  authenticate(keyId: string | string[] | undefined, secret: string | string[] | undefined): AccountEntry | undefined {
    if (typeof keyId !== 'string' || typeof secret !== 'string') return undefined;
    const e = this.byKey.get(keyId);
    if (!e) return undefined;
    const given = Buffer.from(secret);
    return given.length === e.secret.length && timingSafeEqual(given, e.secret) ? e : undefined;
  }

  resetLimits(): void {
    for (const e of this.byKey.values()) e.buckets = this.newBuckets();
  }
}

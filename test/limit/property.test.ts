/**
 * Property tests over random arrival schedules, weights, lanes and hold times (MemoryStore + FakeClock):
 * 1. the window guarantee, latency-proof: a request may reach the server at any time between its admission and its
 *    release, and still no rolling interval of length W can see more than limit_j weight;
 * 2. critical requests whose own demand stays within the reserve are admitted without any delay.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { FakeClock } from '../../src/core/fake-clock.js';
import { SeededRandom } from '../../src/core/random.js';
import { type Lane, RateLimiter, type WindowLimit } from '../../src/limit/index.js';

interface Arrival {
  gap: number;
  lane: Lane;
  weight: number;
  hold: number;
  refund: boolean;
}

interface Served {
  lane: Lane;
  weight: number;
  admittedAt: number;
  releasedAt: number;
  refunded: boolean;
  waitedMs: number;
  withinReserve: boolean;
}

const windowArb = fc.record({ limit: fc.integer({ min: 1, max: 12 }), windowMs: fc.constantFrom(100, 250, 1000) });
const arrivalArb = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
  lane: fc.constantFrom<Lane>('critical', 'orders', 'default', 'background'),
  weight: fc.integer({ min: 1, max: 3 }),
  hold: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 600 })),
  refund: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
const scenarioArb = fc.record({
  windows: fc.uniqueArray(windowArb, { minLength: 1, maxLength: 2, selector: (w) => w.windowMs }),
  criticalReserve: fc.constantFrom(0, 0.1, 0.25, 0.5),
  maxSkips: fc.integer({ min: 0, max: 4 }),
  arrivals: fc.array(arrivalArb, { minLength: 1, maxLength: 70 }),
});

const reserveOf = (w: WindowLimit, share: number) =>
  Math.max(0, Math.min(w.limit - 1, Math.ceil(w.limit * share - 1e-9)));

async function run(s: {
  windows: WindowLimit[];
  criticalReserve: number;
  maxSkips: number;
  arrivals: Arrival[];
}): Promise<Served[]> {
  const clock = new FakeClock();
  const limiter = new RateLimiter({
    windows: s.windows,
    criticalReserve: s.criticalReserve,
    maxSkips: s.maxSkips,
    clock,
    random: new SeededRandom(7),
    deadlineMs: { critical: 1e9, orders: 1e9, default: 1e9, background: 1e9 },
  });
  const reserves = s.windows.map((w) => reserveOf(w, s.criticalReserve));
  const capOther = Math.min(...s.windows.map((w, j) => w.limit - reserves[j]!));
  const capCritical = Math.min(...s.windows.map((w) => w.limit));
  const served: Served[] = [];
  // Our own model of the critical lane's demand (hold semantics), to know which critical arrivals are within reserve.
  const critical: Array<{ counts: (t: number, windowMs: number) => boolean; w: number }> = [];
  const pending: Promise<void>[] = [];
  for (const arrival of s.arrivals) {
    await clock.tickAsync(arrival.gap);
    const now = clock.now();
    const weight = Math.min(arrival.weight, arrival.lane === 'critical' ? capCritical : capOther);
    let withinReserve = false;
    if (arrival.lane === 'critical') {
      withinReserve = s.windows.every((w, j) => {
        const used = critical.filter((c) => c.counts(now, w.windowMs)).reduce((sum, c) => sum + c.w, 0);
        return used + weight <= reserves[j]!;
      });
      // Keep the critical lane within its reserve: only those arrivals are sent (others would queue in their own lane).
      if (!withinReserve) continue;
      const releasedAt = now + arrival.hold;
      // Counted while held; once released, for a window more (a refund stops counting at release).
      const counts = arrival.refund
        ? (t: number) => t <= releasedAt
        : (t: number, windowMs: number) => releasedAt > t - windowMs;
      critical.push({ counts, w: weight });
    }
    pending.push(
      limiter.acquire({ lane: arrival.lane, weight }).then((p) => {
        const entry: Served = {
          lane: p.lane,
          weight,
          admittedAt: p.admittedAt,
          releasedAt: Number.NaN,
          refunded: arrival.refund,
          waitedMs: p.waitedMs,
          withinReserve,
        };
        served.push(entry);
        clock.setTimeout(() => {
          entry.releasedAt = clock.now();
          p.release({ sent: !arrival.refund });
        }, arrival.hold);
      }),
    );
  }
  for (let i = 0; i < 100 && clock.pendingTimers() > 0; i++) await clock.runAllAsync();
  await Promise.all(pending);
  await limiter.close();
  expect(served).toHaveLength(pending.length);
  return served;
}

it('never lets any rolling window see more than its limit; critical within its reserve never waits', async () => {
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (s) => {
      const served = await run(s);
      const sent = served.filter((x) => !x.refunded);
      for (const w of s.windows) {
        // The server may receive request i anywhere in [admittedAt, releasedAt]. The busiest interval [t, t + W)
        // starts at some release time t: sum everything that could land in it.
        for (const k of sent) {
          const t = k.releasedAt;
          const load = sent
            .filter((i) => i.admittedAt < t + w.windowMs && i.releasedAt >= t)
            .reduce((sum, i) => sum + i.weight, 0);
          expect(load, `window ${w.windowMs} ms at ${t}`).toBeLessThanOrEqual(w.limit);
        }
      }
      for (const c of served.filter((x) => x.lane === 'critical' && x.withinReserve)) expect(c.waitedMs).toBe(0);
    }),
    { numRuns: 150, seed: 20240723 },
  );
});

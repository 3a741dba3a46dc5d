import { describe, expect, it } from 'vitest';
import { SlidingLog } from '../../src/limit/sliding-log.js';

type Op =
  | { at: number; admit: string; w?: number; expectWait: number }
  | { at: number; release: string; sent?: boolean }
  | { at: number; used: number[] }
  | { at: number; waitFor: number; expectWait: number };

interface Case {
  name: string;
  windows: number[];
  caps: number[];
  maxHoldMs?: number;
  ops: Op[];
}

const cases: Case[] = [
  {
    name: 'admits up to the cap, then waits until the oldest release expires',
    windows: [1000],
    caps: [2],
    ops: [
      { at: 0, admit: 'a', expectWait: 0 },
      { at: 10, admit: 'b', expectWait: 0 },
      { at: 20, release: 'a' },
      { at: 30, release: 'b' },
      { at: 40, admit: 'c', expectWait: 980 }, // a released at 20 → counts until 1020
      { at: 1019, admit: 'c', expectWait: 1 },
      { at: 1020, admit: 'c', expectWait: 0 },
      { at: 1020, used: [2] },
    ],
  },
  {
    name: 'a hold counts until release + window, however long it was in flight',
    windows: [1000],
    caps: [1],
    ops: [
      { at: 0, admit: 'a', expectWait: 0 },
      { at: 5000, admit: 'b', expectWait: 1000 }, // in flight: expires no earlier than now + W
      { at: 5000, release: 'a' },
      { at: 5999, admit: 'b', expectWait: 1 },
      { at: 6000, admit: 'b', expectWait: 0 },
    ],
  },
  {
    name: 'refund removes the record at once',
    windows: [1000],
    caps: [1],
    ops: [
      { at: 0, admit: 'a', expectWait: 0 },
      { at: 1, release: 'a', sent: false },
      { at: 1, used: [0] },
      { at: 1, admit: 'b', expectWait: 0 },
    ],
  },
  {
    name: 'holds auto-release after maxHoldMs',
    windows: [1000],
    caps: [1],
    maxHoldMs: 3000,
    ops: [
      { at: 0, admit: 'a', expectWait: 0 },
      { at: 2999, used: [1] },
      { at: 3000, used: [1] }, // auto-released at 3000, counts until 4000
      { at: 3999, admit: 'b', expectWait: 1 },
      { at: 4000, admit: 'b', expectWait: 0 },
      { at: 4000, release: 'a' }, // no longer held: no-op
      { at: 4000, used: [1] },
    ],
  },
  {
    name: 'every window must fit; the wait is the latest of them',
    windows: [1000, 100],
    caps: [3, 1],
    ops: [
      { at: 0, admit: 'a', expectWait: 0 },
      { at: 0, release: 'a' },
      { at: 50, admit: 'b', expectWait: 50 },
      { at: 100, admit: 'b', expectWait: 0 },
      { at: 100, release: 'b' },
      { at: 200, admit: 'c', expectWait: 0 },
      { at: 200, release: 'c' },
      { at: 300, admit: 'd', expectWait: 700 }, // short window free, long one full until a expires at 1000
      { at: 300, used: [3, 0] },
    ],
  },
  {
    name: 'weights: the wait covers enough expiring weight',
    windows: [1000],
    caps: [10],
    ops: [
      { at: 0, admit: 'a', w: 4, expectWait: 0 },
      { at: 0, release: 'a' },
      { at: 100, admit: 'b', w: 4, expectWait: 0 },
      { at: 100, release: 'b' },
      { at: 200, admit: 'c', w: 5, expectWait: 800 }, // 8 used: need 3 back → a (4) expires at 1000
      { at: 200, waitFor: 6, expectWait: 800 },
      { at: 200, waitFor: 7, expectWait: 900 }, // needs b too (expires at 1100)
      { at: 200, waitFor: 2, expectWait: 0 },
    ],
  },
  {
    name: 'demand beyond one window is predicted in generations',
    windows: [1000],
    caps: [10],
    ops: [
      ...Array.from({ length: 10 }, (_, i) => ({ at: 0, admit: `r${i}`, expectWait: 0 })),
      ...Array.from({ length: 10 }, (_, i) => ({ at: 0, release: `r${i}` })),
      { at: 0, waitFor: 1, expectWait: 1000 },
      { at: 0, waitFor: 10, expectWait: 1000 },
      { at: 0, waitFor: 11, expectWait: 2000 },
      { at: 0, waitFor: 25, expectWait: 3000 },
    ],
  },
];

describe('SlidingLog', () => {
  for (const c of cases) {
    it(c.name, () => {
      const log = new SlidingLog(c.windows, c.maxHoldMs ?? 120_000);
      for (const op of c.ops) {
        if ('admit' in op)
          expect(log.admit(op.at, op.admit, op.w ?? 1, c.caps), `admit ${op.admit} at ${op.at}`).toBe(op.expectWait);
        else if ('release' in op) log.release(op.at, op.release, op.sent ?? true);
        else if ('used' in op) expect(log.used(op.at), `used at ${op.at}`).toEqual(op.used);
        else expect(log.waitFor(op.at, op.waitFor, c.caps), `waitFor ${op.waitFor} at ${op.at}`).toBe(op.expectWait);
      }
    });
  }

  it('stays exact across deque growth and compaction', () => {
    const log = new SlidingLog([1000, 100], 120_000);
    const caps = [500, 60];
    let admitted = 0;
    const times: number[] = [];
    for (let t = 0; t < 20_000; t++) {
      const id = `x${t}`;
      if (log.admit(t, id, 1, caps) === 0) {
        admitted++;
        times.push(t);
        log.release(t, id, true);
      }
      if (t % 997 === 0) {
        // Brute-force count of releases in each window.
        const long = times.filter((r) => r > t - 1000).length;
        const short = times.filter((r) => r > t - 100).length;
        expect(log.used(t)).toEqual([long, short]);
      }
    }
    expect(admitted).toBeGreaterThan(9000);
  });

  it('exports the records that still count, for write-back', () => {
    const log = new SlidingLog([1000], 120_000);
    log.admit(0, 'a', 2, [10]);
    log.admit(10, 'b', 1, [10]);
    log.release(20, 'a', true);
    const r = log.records(500);
    expect(r.inFlight).toEqual([{ id: 'b', weight: 1, agoMs: 490 }]);
    expect(r.released.map((x) => [x.weight, x.agoMs])).toEqual([[2, 480]]);
    expect(log.records(1020).released).toEqual([]);
  });
});

describe('SlidingLog hold ring', () => {
  it('keeps every hold through growth with a wrapped head, in any release order', () => {
    const log = new SlidingLog([60_000], 120_000);
    const caps = [1e9];
    const live = new Map<number, number>();
    let rnd = 7;
    const next = () => {
      rnd = (rnd * 1103515245 + 12345) % 2147483648;
      return rnd / 2147483648;
    };
    let t = 0;
    // Wrap the head: admit and release in order so the head moves past slot 0, then grow several times.
    for (let i = 0; i < 300; i++) expect(log.releaseHold(t, log.admitHold(t, 1, caps), true)).toBe(true);
    for (let round = 0; round < 5000; round++) {
      t += 0.5;
      if (next() < 0.6 || live.size === 0) {
        const w = 1 + Math.floor(next() * 3);
        const h = log.admitHold(t, w, caps);
        expect(h).toBeGreaterThanOrEqual(0);
        live.set(h, w);
      } else {
        const keys = [...live.keys()];
        const h = keys[Math.floor(next() * keys.length)]!;
        expect(log.releaseHold(t, h, next() < 0.5)).toBe(true);
        expect(log.releaseHold(t, h, true)).toBe(false); // once only
        live.delete(h);
      }
      let held = 0;
      for (const w of live.values()) held += w;
      expect(log.holding).toBe(held);
    }
  });
});

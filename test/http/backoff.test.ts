import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { SeededRandom } from '../../src/core/random.js';
import { type Backoff, constantBackoff, decorrelatedJitter } from '../../src/http/index.js';

function delays(first: Backoff, n: number): number[] {
  const out: number[] = [];
  let b = first;
  for (let i = 0; i < n; i++, b = b.next()) out.push(b.duration);
  return out;
}

describe('decorrelated jitter', () => {
  it('stays within [base, cap] for any seed, base and cap', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (seed, baseMs, extra) => {
          const capMs = baseMs + extra;
          const seq = delays(decorrelatedJitter({ baseMs, capMs, random: new SeededRandom(seed) }).next(), 40);
          return seq.every((d) => d >= baseMs && d <= capMs);
        },
      ),
    );
  });

  it('each delay is at most three times the previous one (decorrelated, not exponential runaway)', () => {
    const seq = delays(decorrelatedJitter({ random: new SeededRandom('x') }).next(), 30);
    expect(seq[0]).toBeGreaterThanOrEqual(100);
    expect(seq[0]).toBeLessThanOrEqual(300);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeLessThanOrEqual(Math.max(100, seq[i - 1]! * 3));
  });

  it('is capped after jitter: a long run reaches the 300 s cap and stays there', () => {
    const seq = delays(decorrelatedJitter({ random: { next: () => 0.999 } }).next(), 30);
    expect(Math.max(...seq)).toBe(300_000);
    expect(seq.at(-1)).toBe(300_000);
  });

  it('is deterministic for a seed and immutable (next() never changes a backoff)', () => {
    const a = delays(decorrelatedJitter({ random: new SeededRandom(7) }).next(), 10);
    const b = delays(decorrelatedJitter({ random: new SeededRandom(7) }).next(), 10);
    expect(a).toEqual(b);
    const first = decorrelatedJitter({ random: new SeededRandom(1) }).next();
    const d = first.duration;
    first.next();
    first.next();
    expect(first.duration).toBe(d);
  });

  it('rejects bad options with ConfigError', () => {
    expect(() => decorrelatedJitter({ baseMs: 0 })).toThrow(ConfigError);
    expect(() => decorrelatedJitter({ baseMs: 100, capMs: 50 })).toThrow(/backoff.capMs/);
    expect(() => constantBackoff(-1)).toThrow(ConfigError);
  });

  it('constant backoff repeats its delay', () => {
    expect(delays(constantBackoff(250).next(), 3)).toEqual([250, 250, 250]);
  });
});

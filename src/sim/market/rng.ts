/**
 * Fast counter-seeded randomness for the price process. A `SeededRandom` (string-seeded) is built once per
 * (symbol, day); every minute of that day derives its own independent stream from it with integer mixing,
 * which is ~50x cheaper than string seeding and keeps each minute a pure function of (seed, symbol, minute).
 */
import type { Random } from '../../core/random.js';

/** murmur3 finaliser: a good 32-bit avalanche. */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A 32-bit word derived from a base word and integer coordinates. */
export function deriveWord(base: number, a: number, b = 0): number {
  return mix32(base ^ mix32(Math.imul(a + 0x632be5ab, 0x9e3779b1) ^ mix32(b + 0x5bd1e995)));
}

/** splitmix32: one add and one mix per draw; plenty for synthetic prices. */
export class SplitMix32 implements Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return mix32(this.state) * INV_2_32;
  }
  /** A uniform unsigned 32-bit word (callers split it into smaller uniforms). */
  nextWord(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return mix32(this.state);
  }
}

export const INV_2_32 = 1 / 4294967296;
const INV_2_16 = 1 / 65536;

/** Approximately standard normal from one word: triangular from its two 16-bit halves (variance 1, ±2.45). */
export function triangular(word32: number): number {
  return ((word32 >>> 16) * INV_2_16 + (word32 & 0xffff) * INV_2_16 - 1) * 2.449489742783178;
}

/** 32-bit FNV-1a of a string, as 8 hex digits (page-token binding). */
export function fnv1aHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A uniform 32-bit word from a Random. */
export function word(r: Random): number {
  return Math.floor(r.next() * 4294967296) >>> 0;
}

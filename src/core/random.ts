import { randomUUID as cryptoUUID, randomBytes } from 'node:crypto';

/** Injected randomness: a uniform float in [0, 1). */
export interface Random {
  next(): number;
}

/** Hashes a string or number seed into four 32-bit words (splitmix32-style), so nearby seeds diverge. */
function seedWords(seed: number | string): [number, number, number, number] {
  let h = 0x9e3779b9;
  const s = String(seed);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    h = (h + 0x9e3779b9) >>> 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    out.push((z ^ (z >>> 16)) >>> 0);
  }
  return out as [number, number, number, number];
}

/** sfc32: small, fast, passes PractRand; deterministic for a given seed. */
export class SeededRandom implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(readonly seed: number | string) {
    [this.a, this.b, this.c, this.d] = seedWords(seed);
    for (let i = 0; i < 12; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  /** An independent stream derived from this seed and `label` (does not advance this one). */
  fork(label: string | number): SeededRandom {
    return new SeededRandom(`${this.seed}/${label}`);
  }
}

/** Host randomness (Math.random). Use for jitter in production; inject {@link SeededRandom} in tests. */
export const systemRandom: Random = { next: () => Math.random() };

/** A deterministic pure hash of the parts to [0, 1); used where data must be a function of its coordinates. */
export function hash01(...parts: Array<string | number>): number {
  return new SeededRandom(parts.join('|')).next();
}

/** Integer in [min, max] inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random.next() * (max - min + 1));
}

/** Standard normal variate (Box-Muller). */
export function randomNormal(random: Random): number {
  const u = Math.max(random.next(), 1e-12);
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * RFC 4122 v4 UUID. With a seeded random the sequence is reproducible (the simulator's ids);
 * without one it uses the crypto generator (client_order_id and other ids that must not collide).
 */
export function uuidV4(random?: Random): string {
  if (!random) return cryptoUUID();
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(random.next() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A short unguessable token (hex). */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

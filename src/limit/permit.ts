import type { Lane, Permit } from './types.js';

/** The limiter side of a permit. */
export interface PermitOwner {
  releasePermit(permit: LimiterPermit, sent: boolean): void;
}

export class LimiterPermit implements Permit {
  private released = false;

  constructor(
    readonly owner: PermitOwner,
    readonly id: string,
    readonly lane: Lane,
    readonly weight: number,
    readonly admittedAt: number,
    readonly waitedMs: number,
    /** Cumulative weight admitted by the owner up to and including this permit (orders server views). */
    readonly seq: number,
  ) {}

  get isReleased(): boolean {
    return this.released;
  }

  release(outcome?: { sent?: boolean }): void {
    if (this.released) return;
    this.released = true;
    this.owner.releasePermit(this, outcome?.sent !== false);
  }
}

import type { Lane, Permit } from './types.js';

/** The limiter side of a permit. */
export interface PermitOwner {
  releasePermit(permit: LimiterPermit, sent: boolean): void;
  /** Id of a fast-path hold (formatted only when someone reads `permit.id`). */
  holdId(hold: number): string;
}

export class LimiterPermit implements Permit {
  private released = false;
  private idText: string | undefined;

  constructor(
    readonly owner: PermitOwner,
    /** The store's record id, or undefined for a fast-path hold (its id is made from `hold` when asked for). */
    id: string | undefined,
    /** Hold number of the store's allocation-free path, or -1. */
    readonly hold: number,
    readonly lane: Lane,
    readonly weight: number,
    readonly admittedAt: number,
    readonly waitedMs: number,
    /** Cumulative weight admitted by the owner up to and including this permit (orders server views). */
    readonly seq: number,
  ) {
    this.idText = id;
  }

  get id(): string {
    this.idText ??= this.owner.holdId(this.hold);
    return this.idText;
  }

  get isReleased(): boolean {
    return this.released;
  }

  release(outcome?: { sent?: boolean }): void {
    if (this.released) return;
    this.released = true;
    this.owner.releasePermit(this, outcome?.sent !== false);
  }
}

/**
 * Base of every error corral throws. `code` is stable across versions: branch on it, never on `message`.
 * `instanceof` works across duplicated installs through the brand symbol.
 */
const BRAND = Symbol.for('corral.error');

export abstract class CorralError extends Error {
  abstract readonly code: string;
  readonly [BRAND] = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
  // Subclasses keep the ordinary prototype check; the base class also recognises instances from another copy.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on
    if (this === CorralError) return typeof value === 'object' && value !== null && BRAND in value;
    // biome-ignore lint/complexity/noThisInStatic: same
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

export function isCorralError(value: unknown): value is CorralError {
  return typeof value === 'object' && value !== null && BRAND in value;
}

/** Invalid options, arguments or environment. `field` names the offending path (e.g. `limits[0].windowMs`). */
export class ConfigError extends CorralError {
  readonly code = 'CORRAL_CONFIG';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid ${field}: ${reason}`);
  }
}

/** A wait or call was cancelled through its AbortSignal. */
export class AbortedError extends CorralError {
  readonly code = 'CORRAL_ABORTED';
  constructor(message = 'the operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

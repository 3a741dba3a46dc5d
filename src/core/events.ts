/** A subscription that can be disposed. */
export interface Disposable {
  dispose(): void;
}

/** A typed event: call it with a listener to subscribe (cockatiel / VS Code style). */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * Owner side of an {@link Event}. Listener errors are isolated: a throwing listener never breaks the emitter
 * or the other listeners (they are reported to `onListenerError`).
 */
export class Emitter<T> {
  private listeners: Array<(value: T) => void> = [];
  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        const i = this.listeners.indexOf(listener);
        if (i >= 0) this.listeners.splice(i, 1);
      },
    };
  };

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  fire(value: T): void {
    if (this.listeners.length === 0) return;
    for (const l of this.listeners.slice()) {
      try {
        l(value);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}

/** Resolves with the next value of `event`. */
export function once<T>(event: Event<T>): Promise<T> {
  return new Promise((resolve) => {
    const d = event((v) => {
      d.dispose();
      resolve(v);
    });
  });
}

/** Test helpers for users of corral: drive time by hand, seed randomness. */

export type { FakeClockOptions } from './core/fake-clock.js';
export { FakeClock, flushMicrotasks } from './core/fake-clock.js';
export { SeededRandom } from './core/random.js';

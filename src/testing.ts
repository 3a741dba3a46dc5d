/** Test helpers for users of corral: drive time by hand, seed randomness. */
export { FakeClock, flushMicrotasks } from './core/fake-clock.js';
export type { FakeClockOptions } from './core/fake-clock.js';
export { SeededRandom } from './core/random.js';

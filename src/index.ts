/** corral: resilient Alpaca toolkit. */
export * from './alpaca/index.js';
export * from './core/index.js';
export * from './http/index.js';
export * from './limit/index.js';
export { VERSION } from './version.js';

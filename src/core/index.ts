export * from './clock.js';
export * from './config.js';
export * from './errors.js';
export * from './events.js';
export * from './headers.js';
export * from './logger.js';
export * from './random.js';
export * from './redact.js';

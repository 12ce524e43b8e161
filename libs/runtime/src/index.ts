export * from './runtime.js';
export * from './process.js';
export * from './encryption-key.js';
export * from './parent.js';

export * from './encryption-key.js';
export * from './secret-box.js';
export * from './token-hash.js';

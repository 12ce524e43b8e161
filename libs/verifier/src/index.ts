export * from './deny-list.js';
export * from './token-verifier.js';

export * from './deny-list.js';
export * from './token-verifier.js';
export * from './dpop-proof.js';

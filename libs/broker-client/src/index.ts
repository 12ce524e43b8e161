export * from './broker-client.js';
export * from './refresh-on-401.js';
export * from './rejection-gate.js';

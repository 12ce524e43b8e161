export * from './audit.js';
export * from './cluster.js';
export * from './drills.js';
export * from './environment.js';
export * from './load.js';
export * from './outbound.js';
export * from './session.js';

export * from './config.js';
export * from './egress-allow.js';

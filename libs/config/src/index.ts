export * from './config.js';
export * from './bus-security.js';
export * from './egress-allow.js';
export * from './tracing.js';
export * from './metrics-settings.js';

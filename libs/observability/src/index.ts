export * from './logger.js';
export * from './request-context.js';
export * from './redact.js';
export * from './tracing.js';
export * from './tracing-sdk.js';
export * from './clock.js';
export * from './metrics.js';
export * from './metrics-server.js';

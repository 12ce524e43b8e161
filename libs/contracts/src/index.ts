export * from './envelope.js';
export * from './errors.js';
export * from './instances.js';
export * from './subjects.js';
export * from './validation.js';
export * from './auth.js';
export * from './integrations.js';
export * from './broker/index.js';

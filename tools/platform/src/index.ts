export * from './platform.js';
export * from './child-environment.js';
export * from './nats-config/generate.js';

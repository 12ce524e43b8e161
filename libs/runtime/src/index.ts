export * from './runtime.js';
export * from './microservice.js';
export * from './process.js';

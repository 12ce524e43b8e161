export * from './microservice.js';
export * from './process.js';

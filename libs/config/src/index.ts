export * from './config.js';
export * from './bus-security.js';

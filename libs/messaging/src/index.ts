export * from './bus.js';
export * from './bus-client.js';
export * from './bus-exception.filter.js';
export * from './bus-server.js';
export * from './in-process-bus.js';
export * from './nats-bus.js';
export * from './nats-security.js';
export * from './traced-bus.js';

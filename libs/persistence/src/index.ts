export * from './clock.js';
export * from './data-source.js';
export * from './embedded-postgres.js';
export * from './inbox.js';
export * from './messaging-tables.js';
export * from './outbox.js';
export * from './database-availability.js';
export * from './pruning.js';

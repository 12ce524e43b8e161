// The clock lives with logging (the edge needs it too, without loading any of this); re-exported for the services.
export * from './data-source.js';
export * from './embedded-postgres.js';
export * from './inbox.js';
export * from './messaging-tables.js';
export * from './outbox.js';
export * from './outbox-replay.js';
export * from './database-availability.js';
export * from './pruning.js';
export * from './audit-trail.js';
export * from './persistence-metrics.js';
export * from './unique-violation.js';
export * from './group-commit.js';
export * from './transactions.js';
export * from './dead-letters.js';

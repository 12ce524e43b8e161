export * from './test-database.js';
export * from './test-config.js';
export * from './test-bus.js';
export * from './eventually.js';
export * from './fake-oauth-provider.js';
export * from './own-servers.js';
export * from './lenient-path.js';
export * from './test-certificates.js';

export * from './test-platform.js';
export * from './fake-oauth-provider.js';
export * from './own-servers.js';
export * from './lenient-path.js';
export * from './otlp-receiver.js';
export * from './openapi-responses.js';

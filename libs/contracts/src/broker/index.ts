export * from './catalog.js';
export * from './common.js';
export * from './events.js';
export * from './provider-settings.js';
export * from './providers.js';
export * from './tokens.js';
export * from './vocabulary.js';
export * from './webhooks.js';

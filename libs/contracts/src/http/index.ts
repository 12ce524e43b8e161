export * from './api.js';
export * from './errors.js';
export * from './oauth.js';
export * from './resources.js';

export * from './permission.js';
export * from './token-permissions.js';

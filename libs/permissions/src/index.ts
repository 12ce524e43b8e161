export * from './permission.js';
export * from './token-permissions.js';
export * from './admin-roles.js';
export * from './introspection.js';

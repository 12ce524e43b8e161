export * from './egress.js';
export * from './egress-errors.js';
export * from './egress-policy.js';
export * from './url-under-base.js';

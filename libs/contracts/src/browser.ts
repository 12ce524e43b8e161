// What the console bundles of contracts: values with no validator behind them (its other contract imports are
// type-only), so none of class-validator reaches the browser.
export * from './admin-roles.js';
export * from './permission-grammar.js';

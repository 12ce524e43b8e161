// What the console bundles of contracts: values with no validator behind them (its other contract imports, the
// shapes of the API and its route table, are type-only), so none of class-validator reaches the browser.
export * from './admin-roles.js';
export * from './broker/provider-settings.js';
export * from './broker/vocabulary.js';
export * from './oauth.js';
export * from './permission-grammar.js';

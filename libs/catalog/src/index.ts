export { Catalog, loadCatalog, PROVIDERS_DIRECTORY, summarise, type CatalogQuery } from './catalog.js';
export { checkTemplate } from './check.js';
export { CatalogError, describeProblem, type CatalogProblem } from './problem.js';
export { TEMPLATE_SCHEMA_URL } from './schema-url.js';
export { factPaths } from './sources.js';
export { hostVariables, isWithin, placeholders, staysWithin } from './url-template.js';
export * from './template.js';

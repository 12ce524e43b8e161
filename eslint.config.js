// @ts-check
import tseslint from 'typescript-eslint';

/**
 * Module boundaries: apps never import apps, libs never import apps or tools. These rules are the architecture in code.
 * Each app/lib is a workspace package (@tessera/<name>), so a boundary crossing is an import of a package name.
 */
const APP_PACKAGES = ['@tessera/gateway', '@tessera/auth-server', '@tessera/integrations-registry', '@tessera/outbound-token-broker'];
const restrict = (names, message, more = []) => ['error', { patterns: [{ group: names, message }, { group: ['**/apps/**', '../../*/src/**'], message: 'Import another project by its package name, never by path.' }, ...more] }];
const APP_RULE = [[...APP_PACKAGES, '@tessera/platform', '@tessera/testing'], 'Apps talk over the bus: import contracts, never another app.'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.tessera/**', 'coverage/**', '.nx/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @tessera/config.' }],
    },
  },
  { files: ['apps/**/*.ts'], rules: { 'no-restricted-imports': restrict(...APP_RULE) } },
  // The broker's tokens/ uses refresh/, never the other way round: the stored token both use lives in outbound-token/.
  {
    files: ['apps/outbound-token-broker/src/refresh/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(...APP_RULE, [{ group: ['../tokens/*'], message: 'refresh/ never imports tokens/ (tokens/ → refresh/ is one-way); shared pieces live in outbound-token/.' }]) },
  },
  { files: ['libs/**/*.ts'], rules: { 'no-restricted-imports': restrict([...APP_PACKAGES, '@tessera/platform'], 'Libs never import apps or tools.') } },
  { files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', '**/*.test.ts', '**/*.spec.ts', 'tools/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
  { files: ['**/*.test.ts', '**/*.spec.ts'], rules: { 'no-restricted-imports': 'off' } },
);

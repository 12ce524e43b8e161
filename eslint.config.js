// @ts-check
import tseslint from 'typescript-eslint';
import { boundaryRule, moduleBoundaries } from './eslint.boundaries.js';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.tessera/**', 'coverage/**', '.nx/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @tessera/config.' }],
    },
  },
  // Module boundaries: the Nx tags in each package.json and the constraints in eslint.boundaries.js. The architecture in code.
  ...moduleBoundaries(),
  // The broker's tokens/ uses refresh/, never the other way round: the stored token both use lives in outbound-token/.
  {
    files: ['apps/outbound-token-broker/src/refresh/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': boundaryRule('@tessera/outbound-token-broker', [
        { group: ['../tokens/*'], message: 'refresh/ never imports tokens/ (tokens/ → refresh/ is one-way); shared pieces live in outbound-token/.' },
      ]),
    },
  },
  { files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', '**/*.test.ts', '**/*.spec.ts', 'tools/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
);

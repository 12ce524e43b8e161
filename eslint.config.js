// @ts-check
import tseslint from 'typescript-eslint';
import { moduleBoundaries } from './eslint.boundaries.js';

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
  { files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', '**/*.test.ts', '**/*.spec.ts', 'tools/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
);

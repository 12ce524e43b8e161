// @ts-check
import tseslint from 'typescript-eslint';
import { boundaryRule, moduleBoundaries } from './eslint.boundaries.js';

/** The services whose code reaches its tables only through stores. */
const DATABASE_FREE_APPS = ['integrations-registry', 'outbound-token-broker', 'auth-server'];

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
  // One way to the database (ADR 0032): services, handlers and the rest speak to stores in the domain's words and
  // open transactions through `Transactions`; the ORM, SQL and the driver stay in stores, entities and migrations.
  {
    files: DATABASE_FREE_APPS.map((app) => `apps/${app}/src/**/*.ts`),
    ignores: ['**/*.store.ts', '**/*.entity.ts', '**/migrations/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/^(typeorm|@nestjs\\/typeorm|pg)$/]',
          message: 'Services and handlers reach the database through a store (ADR 0032): move the query into one.',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(getRepository|createQueryBuilder|createQueryRunner|query|transaction)$/]',
          message: 'Services and handlers reach the database through a store (ADR 0032); open a transaction with Transactions.run().',
        },
      ],
    },
  },
  { files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', '**/*.test.ts', '**/*.spec.ts', 'tools/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
);

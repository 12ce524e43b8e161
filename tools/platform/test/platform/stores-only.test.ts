import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes.js';

/**
 * One way to the database (ADR 0032) as `npm run lint` applies it: each case lints a few lines as if they were a file
 * at that path, through the repo's own eslint.config.js.
 */
const eslint = new ESLint({ cwd: repoRoot });

async function databaseErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const ormImport = "import { DataSource } from 'typeorm';\nexport const used = DataSource;\n";
const ormCall = 'export const read = (source: { getRepository(x: unknown): unknown }) => source.getRepository(Object);\n';
const rawSql = "export const read = (source: { query(sql: string): unknown }) => source.query('SELECT 1');\n";
const transaction = 'export const write = (source: { transaction(work: () => void): unknown }) => source.transaction(() => undefined);\n';

describe('lint keeps the ORM and SQL in stores', () => {
  it.each([
    ['a service imports TypeORM', 'apps/integrations-registry/src/integrations/fixture.service.ts', ormImport],
    [
      'a handler imports the Nest TypeORM module',
      'apps/auth-server/src/fixture.handler.ts',
      "import { InjectDataSource } from '@nestjs/typeorm';\nexport const used = InjectDataSource;\n",
    ],
    ['a scheduler imports pg', 'apps/outbound-token-broker/src/refresh/fixture.ts', "import pg from 'pg';\nexport const used = pg;\n"],
    ['a service asks for a repository', 'apps/outbound-token-broker/src/tokens/fixture.service.ts', ormCall],
    ['a grant runs SQL', 'apps/auth-server/src/tokens/grants/fixture.grant.ts', rawSql],
    ['a handler opens a transaction itself', 'apps/integrations-registry/src/instances/fixture.handler.ts', transaction],
  ])('refuses: %s', async (_case, filePath, source) => {
    const errors = await databaseErrors(filePath, source);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/ADR 0032/);
  });

  it.each([
    ['a store', 'apps/integrations-registry/src/integrations/fixture.store.ts', ormImport + rawSql],
    ['an entity', 'apps/outbound-token-broker/src/tokens/fixture.entity.ts', ormImport],
    ['a migration', 'apps/auth-server/src/migrations/1999999999999-fixture.ts', ormImport + rawSql],
    ['a store spec', 'apps/auth-server/src/keys/fixture.store.spec.ts', ormImport],
  ])('lets %s reach the database', async (_case, filePath, source) => {
    expect(await databaseErrors(filePath, source)).toEqual([]);
  });
});

import { createMessagingPruneIndexes } from '@tessera/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-integration limits on grant growth, and the indexes the pruner uses (docs/decisions/0016). */
export class GrantGrowth1765160001000 implements MigrationInterface {
  name = 'GrantGrowth1765160001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "registry"."integration" ADD COLUMN "refresh_tokens_on_client_credentials" boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE "registry"."integration" ADD COLUMN "client_credentials_tokens_per_hour" int`);
    await createMessagingPruneIndexes(q, 'registry');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "registry"."integration" DROP COLUMN "client_credentials_tokens_per_hour"`);
    await q.query(`ALTER TABLE "registry"."integration" DROP COLUMN "refresh_tokens_on_client_credentials"`);
  }
}

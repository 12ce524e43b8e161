import { createMessagingPruneIndexes } from '@tessera/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes the pruner uses (docs/decisions/0016). */
export class Retention1765160001000 implements MigrationInterface {
  name = 'Retention1765160001000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingPruneIndexes(q, 'broker');
    await q.query(`CREATE INDEX IF NOT EXISTS "authorization_request_expires_at" ON "broker"."authorization_request" ("expires_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "broker"."authorization_request_expires_at"`);
  }
}

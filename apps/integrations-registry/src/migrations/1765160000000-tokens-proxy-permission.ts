import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `*:tokens=read` used to open the proxy too; since ADR 0016 that is `*:tokens=proxy`. Integrations that held the
 * former get the latter, so their proxied calls to ordinary tokens go on working once they take a new token (no new
 * power: they can read those tokens raw anyway). P2PI access is not carried over: it needs `<instance>:p2pi=…`.
 */
export class TokensProxyPermission1765160000000 implements MigrationInterface {
  name = 'TokensProxyPermission1765160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "registry"."integration" SET "permissions" = array_append("permissions", '*:tokens=proxy')
      WHERE '*:tokens=read' = ANY("permissions") AND NOT ('*:tokens=proxy' = ANY("permissions"))`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the older code ignores *:tokens=proxy.
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The SQL of a pending authorization (`authorization_request`) beyond its entity. */
@Injectable()
export class AuthorizationRequestStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Marks the state used, atomically: of two redirects carrying it, only one gets its row back (a replay gets none).
   * Answers its expiry and sealed PKCE verifier.
   */
  async consume(state: string, at: Date): Promise<{ expires_at: Date; code_verifier_sealed: string | null } | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE "broker"."authorization_request" SET "used_at" = $2 WHERE "state" = $1 AND "used_at" IS NULL RETURNING "expires_at", "code_verifier_sealed"`,
      [state, at],
    )) as [{ expires_at: Date; code_verifier_sealed: string | null }[], number];
    return rows[0];
  }
}

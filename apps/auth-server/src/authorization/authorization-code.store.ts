import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AuthorizationCodeRow {
  client_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string;
  subject: string;
  resource: string | null;
  expires_at: Date;
  used_at: Date | null;
  family_id: string | null;
}

/** The SQL of an authorization code at its exchange (it is created through the entity by AuthorizationService). */
@Injectable()
export class AuthorizationCodeStore {
  /** The code, locked for the exchange: two exchanges of one code run one after the other, so only one can use it. */
  async lock(manager: EntityManager, codeHash: string): Promise<AuthorizationCodeRow | undefined> {
    const rows: AuthorizationCodeRow[] = await manager.query(`SELECT * FROM "auth"."authorization_code" WHERE "code_hash" = $1 FOR UPDATE`, [codeHash]);
    return rows[0];
  }

  /** Marks the code used, with the grant it issued (revoked if the code is presented again). */
  async markUsed(manager: EntityManager, codeHash: string, at: Date, familyId: string): Promise<void> {
    await manager.query(`UPDATE "auth"."authorization_code" SET "used_at" = $2, "family_id" = $3 WHERE "code_hash" = $1`, [codeHash, at, familyId]);
  }
}

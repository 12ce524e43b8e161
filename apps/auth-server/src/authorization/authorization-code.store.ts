import { Injectable } from '@nestjs/common';
import type { Transaction } from '@tessera/persistence';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthorizationCode } from './authorization-code.entity.js';

export interface AuthorizationCodeRow {
  client_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string;
  subject: string;
  resource: string | null;
  dpop_jkt: string | null;
  expires_at: Date;
  used_at: Date | null;
  family_id: string | null;
}

/** The SQL of an authorization code: issued on the admin's approval, locked and used at its exchange. */
/** Where authorization codes are kept, in auth-server's words (ADR 0032). */
export abstract class AuthorizationCodeStore {
  /** Stores a code issued on approval, on its own: nothing else changes with it. */
  abstract insert(code: AuthorizationCode): Promise<void>;
  /** The code, locked for the exchange: two exchanges of one code run one after the other, so only one can use it. */
  abstract lock(tx: Transaction, codeHash: string): Promise<AuthorizationCodeRow | undefined>;
  /** Marks the code used, with the grant it issued (revoked if the code is presented again). */
  abstract markUsed(tx: Transaction, codeHash: string, at: Date, familyId: string): Promise<void>;
}

/** Authorization codes in auth-server's Postgres schema. */
@Injectable()
export class SqlAuthorizationCodeStore extends AuthorizationCodeStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /** Stores a code issued on approval, on its own: nothing else changes with it. */
  async insert(code: AuthorizationCode): Promise<void> {
    await this.dataSource.getRepository(AuthorizationCode).insert(code);
  }

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

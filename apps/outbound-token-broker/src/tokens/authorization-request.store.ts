import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { AuthorizationRequest } from './authorization-request.entity.js';

/** Where pending authorizations (`authorization_request`) are kept, in the broker's words (ADR 0032). */
export abstract class AuthorizationRequestStore {
  /** Stores a pending authorization in the caller's transaction (which also carries its audit line). */
  abstract insert(tx: Transaction, request: AuthorizationRequest): Promise<void>;
  abstract byState(state: string): Promise<AuthorizationRequest | null>;
  /**
   * Marks the state used, atomically: of two redirects carrying it, only one gets its row back (a replay gets none).
   * Answers its expiry and sealed PKCE verifier.
   */
  abstract consume(state: string, at: Date): Promise<{ expires_at: Date; code_verifier_sealed: string | null } | undefined>;
}

/** Pending authorizations in the broker's Postgres schema. */
@Injectable()
export class SqlAuthorizationRequestStore extends AuthorizationRequestStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async insert(tx: Transaction, request: AuthorizationRequest): Promise<void> {
    await tx.getRepository(AuthorizationRequest).insert(request);
  }

  byState(state: string): Promise<AuthorizationRequest | null> {
    return this.dataSource.getRepository(AuthorizationRequest).findOneBy({ state });
  }

  async consume(state: string, at: Date): Promise<{ expires_at: Date; code_verifier_sealed: string | null } | undefined> {
    const [rows] = (await this.dataSource.query(
      `UPDATE "broker"."authorization_request" SET "used_at" = $2 WHERE "state" = $1 AND "used_at" IS NULL RETURNING "expires_at", "code_verifier_sealed"`,
      [state, at],
    )) as [{ expires_at: Date; code_verifier_sealed: string | null }[], number];
    return rows[0];
  }
}

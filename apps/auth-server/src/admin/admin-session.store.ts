import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TokenRevokedEvent } from '@tessera/contracts';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import type { AdminUser } from './admin-user.entity.js';

export interface SessionRow {
  id: string;
  user_id: string;
  started_at: Date;
  ends_at: Date;
  idle_expires_at: Date;
}

export type SessionWithUser = SessionRow & { username: string; role: AdminUser['role']; must_change_password: boolean };

/** Where admin sessions are kept, in auth-server's words (ADR 0032). Changes take the caller's transaction. */
export abstract class AdminSessionStore {
  abstract insert(tx: Transaction, session: SessionRow, address: string | null): Promise<void>;
  /** Marks a live session seen at `now` and idle at `idleUntil` (never past its end); answers it, or nothing if it has ended. */
  abstract renew(tx: Transaction, sessionId: string, now: Date, idleUntil: Date): Promise<SessionRow | undefined>;
  /** A session not ended, with its user. */
  abstract live(sessionId: string): Promise<SessionWithUser | undefined>;
  /** Ends the live sessions chosen (one, or all of a user's) at `at`; answers the ids ended. */
  abstract end(tx: Transaction, which: { id: string } | { userId: string }, at: Date, reason: TokenRevokedEvent['reason']): Promise<string[]>;
  /** When every token of this client was last revoked at once, if ever. */
  abstract clientRevokedAt(tx: Transaction, clientId: string): Promise<Date | undefined>;
}

/** Admin sessions in auth-server's Postgres schema. */
@Injectable()
export class SqlAdminSessionStore extends AdminSessionStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async insert(tx: Transaction, session: SessionRow, address: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO "auth"."admin_session" ("id", "user_id", "address", "started_at", "last_seen_at", "idle_expires_at", "ends_at") VALUES ($1, $2, $3, $4, $4, $5, $6)`,
      [session.id, session.user_id, address, session.started_at, session.idle_expires_at, session.ends_at],
    );
  }

  async renew(tx: Transaction, sessionId: string, now: Date, idleUntil: Date): Promise<SessionRow | undefined> {
    const rows: SessionRow[] = await tx.query(
      `UPDATE "auth"."admin_session" SET "last_seen_at" = $2, "idle_expires_at" = LEAST("ends_at", $3)
         WHERE "id" = $1 AND "ended_at" IS NULL AND "idle_expires_at" > $2 AND "ends_at" > $2
         RETURNING "id", "user_id", "started_at", "ends_at", "idle_expires_at"`,
      [sessionId, now, idleUntil],
    );
    const [session] = Array.isArray(rows[0]) ? (rows[0] as SessionRow[]) : rows;
    return session;
  }

  async live(sessionId: string): Promise<SessionWithUser | undefined> {
    const rows: SessionWithUser[] = await this.dataSource.query(
      `SELECT s."id", s."user_id", s."started_at", s."ends_at", s."idle_expires_at", u."username", u."role", u."must_change_password"
       FROM "auth"."admin_session" s JOIN "auth"."admin_user" u ON u."id" = s."user_id" WHERE s."id" = $1 AND s."ended_at" IS NULL`,
      [sessionId],
    );
    return rows[0];
  }

  async end(tx: Transaction, which: { id: string } | { userId: string }, at: Date, reason: TokenRevokedEvent['reason']): Promise<string[]> {
    const [where, param] = 'id' in which ? [`"id" = $1`, which.id] : [`"user_id" = $1`, which.userId];
    const result: unknown[] = await tx.query(
      `UPDATE "auth"."admin_session" SET "ended_at" = $2, "ended_reason" = $3 WHERE ${where} AND "ended_at" IS NULL RETURNING "id"`,
      [param, at, reason],
    );
    return ((Array.isArray(result[0]) ? result[0] : result) as { id: string }[]).map((row) => row.id);
  }

  async clientRevokedAt(tx: Transaction, clientId: string): Promise<Date | undefined> {
    const rows: { revoked_at: Date }[] = await tx.query(`SELECT "revoked_at" FROM "auth"."client_revocation" WHERE "client_id" = $1`, [clientId]);
    return rows[0]?.revoked_at;
  }
}

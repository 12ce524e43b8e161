import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { AdminUser } from './admin-user.entity.js';

/** An administrator as listed: the account, how many sessions are live and when it was last seen. */
export type AdminUserRow = Omit<AdminUser, 'passwordHash'> & { activeSessions: number; lastSeenAt: Date | null };

/** What a change of an administrator sets. */
export type AdminUserChanges = Partial<Pick<AdminUser, 'role' | 'passwordHash' | 'mustChangePassword' | 'updatedAt'>>;

const SELECT_USERS = `SELECT u."id", u."username", u."role", u."must_change_password" AS "mustChangePassword", u."created_at" AS "createdAt", u."updated_at" AS "updatedAt",
  (SELECT count(*)::int FROM "auth"."admin_session" s WHERE s."user_id" = u."id" AND s."ended_at" IS NULL AND s."idle_expires_at" > $1 AND s."ends_at" > $1) AS "activeSessions",
  (SELECT max(s."last_seen_at") FROM "auth"."admin_session" s WHERE s."user_id" = u."id") AS "lastSeenAt"
  FROM "auth"."admin_user" u`;

/**
 * Where administrators are kept, in auth-server's words (ADR 0032). Changes take the caller's transaction, which also
 * ends the user's sessions and carries the audit line; `now` decides which sessions count as live.
 */
export abstract class AdminUserStore {
  /** Every administrator, by username. */
  abstract list(now: Date): Promise<AdminUserRow[]>;
  /** One administrator, inside the caller's transaction when given one. */
  abstract get(id: string, now: Date, tx?: Transaction): Promise<AdminUserRow | undefined>;
  abstract byUsername(username: string): Promise<AdminUser | null>;
  /** The account a session belongs to, as its token needs it. */
  abstract forSession(tx: Transaction, id: string): Promise<Pick<AdminUser, 'id' | 'username' | 'role' | 'mustChangePassword'> | undefined>;
  abstract exists(username: string): Promise<boolean>;
  /** Stores a new administrator unless the username is taken; answers whether it was stored. */
  abstract insertIfNew(user: AdminUser, tx?: Transaction): Promise<boolean>;
  abstract update(tx: Transaction, where: { id: string } | { username: string }, changes: AdminUserChanges): Promise<void>;
  abstract delete(tx: Transaction, id: string): Promise<void>;
  /** The owners' ids, locked until the transaction ends: a change that could remove the last owner is decided alone. */
  abstract lockOwners(tx: Transaction): Promise<string[]>;
}

/** Administrators in auth-server's Postgres schema. */
@Injectable()
export class SqlAdminUserStore extends AdminUserStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  list(now: Date): Promise<AdminUserRow[]> {
    return this.dataSource.query(`${SELECT_USERS} ORDER BY u."username"`, [now]);
  }

  async get(id: string, now: Date, tx: Transaction = this.dataSource.manager): Promise<AdminUserRow | undefined> {
    const rows: AdminUserRow[] = await tx.query(`${SELECT_USERS} WHERE u."id" = $2`, [now, id]);
    return rows[0];
  }

  byUsername(username: string): Promise<AdminUser | null> {
    return this.dataSource.getRepository(AdminUser).findOneBy({ username });
  }

  async forSession(tx: Transaction, id: string): Promise<Pick<AdminUser, 'id' | 'username' | 'role' | 'mustChangePassword'> | undefined> {
    const users: AdminUser[] = await tx.query(
      `SELECT "id", "username", "role", "must_change_password" AS "mustChangePassword" FROM "auth"."admin_user" WHERE "id" = $1`,
      [id],
    );
    return users[0];
  }

  exists(username: string): Promise<boolean> {
    return this.dataSource.getRepository(AdminUser).existsBy({ username });
  }

  async insertIfNew(user: AdminUser, tx: Transaction = this.dataSource.manager): Promise<boolean> {
    const inserted = await tx.createQueryBuilder().insert().into(AdminUser).values(user).orIgnore().returning(['username']).execute();
    return inserted.raw?.length > 0;
  }

  async update(tx: Transaction, where: { id: string } | { username: string }, changes: AdminUserChanges): Promise<void> {
    await tx.getRepository(AdminUser).update(where, changes);
  }

  async delete(tx: Transaction, id: string): Promise<void> {
    await tx.getRepository(AdminUser).delete({ id });
  }

  async lockOwners(tx: Transaction): Promise<string[]> {
    const owners: { id: string }[] = await tx.query(`SELECT "id" FROM "auth"."admin_user" WHERE "role" = 'owner' ORDER BY "id" FOR UPDATE`);
    return owners.map((owner) => owner.id);
  }
}

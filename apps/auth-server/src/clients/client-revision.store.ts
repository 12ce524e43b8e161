import { Injectable } from '@nestjs/common';
import type { Transaction } from '@tessera/persistence';
import type { EntityManager } from 'typeorm';

/** The SQL of a client's revision barrier (`client_revision`): the latest integration change applied here (ADR 0013). */
/** Where each client's revision barrier is kept (`client_revision`), in auth-server's words (ADR 0032, ADR 0013). */
export abstract class ClientRevisionStore {
  /** Raises the barrier to `revision`; never lowers it, so a change replayed late cannot undo a newer one. */
  abstract raise(tx: Transaction, clientId: string, revision: number, at: Date): Promise<void>;
  /** The barrier (0 when no change was ever applied). */
  abstract revision(tx: Transaction, clientId: string): Promise<number>;
}

/** Revision barriers in auth-server's Postgres schema. */
@Injectable()
export class SqlClientRevisionStore extends ClientRevisionStore {
  /** Raises the barrier to `revision`; never lowers it, so a change replayed late cannot undo a newer one. */
  async raise(manager: EntityManager, clientId: string, revision: number, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO "auth"."client_revision" ("client_id", "revision", "changed_at") VALUES ($1, $2, $3)
       ON CONFLICT ("client_id") DO UPDATE SET "revision" = GREATEST("client_revision"."revision", EXCLUDED."revision"), "changed_at" = EXCLUDED."changed_at"`,
      [clientId, revision, at],
    );
  }

  /** The barrier (0 when no change was ever applied). */
  async revision(manager: EntityManager, clientId: string): Promise<number> {
    const [barrier]: { revision: number }[] = await manager.query(`SELECT "revision" FROM "auth"."client_revision" WHERE "client_id" = $1`, [clientId]);
    return barrier?.revision ?? 0;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The SQL of the per-integration issuance counts (`issuance_window`, one row per integration and clock hour). */
/** Where the per-integration issuance counts are kept (one row per integration and clock hour), in auth-server's words (ADR 0032). */
export abstract class IssuanceWindowStore {
  /** Counts one token in the window if fewer than `limit` were counted: one atomic upsert, shared by every replica. */
  abstract take(integrationId: string, windowEnd: Date, limit: number): Promise<boolean>;
}

/** Issuance counts in auth-server's Postgres schema. */
@Injectable()
export class SqlIssuanceWindowStore extends IssuanceWindowStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /** Counts one token in the window if fewer than `limit` were counted: one atomic upsert, shared by every replica. */
  async take(integrationId: string, windowEnd: Date, limit: number): Promise<boolean> {
    const rows: { issued: number }[] = await this.dataSource.query(
      `INSERT INTO "auth"."issuance_window" ("id", "integration_id", "window_end", "issued") VALUES ($1, $2, $3, 1)
       ON CONFLICT ("id") DO UPDATE SET "issued" = "issuance_window"."issued" + 1 WHERE "issuance_window"."issued" < $4
       RETURNING "issued"`,
      [`${integrationId}:${windowEnd.toISOString()}`, integrationId, windowEnd, limit],
    );
    return rows.length > 0;
  }
}

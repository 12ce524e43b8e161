import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StaleClientRecord } from '../clients/client-directory.js';

/** A new refresh-token family and its first refresh token (stored hashed). */
export interface NewFamily {
  id: string;
  integrationId: string;
  clientId: string;
  subject: string;
  scope: string;
  grantType: string;
  createdAt: Date;
  expiresAt: Date | null;
  tokenHash: string;
  /** The integration revision of the client record the grant was decided on; stored only if still current. */
  clientRevision: number;
}

interface Waiting {
  family: NewFamily;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Grants written in one statement at most; more wait for the next. */
const MAX_BATCH = 256;
/** Statements in flight at once: one being committed while the next batch gathers is enough to keep Postgres busy. */
const MAX_IN_FLIGHT = 4;

/**
 * Group commit for new grants. Grants that arrive while a write is in flight go to Postgres together, as one
 * INSERT … SELECT FROM unnest(…): one round trip and one commit (one WAL flush) for the batch instead of one per token.
 * Durability is unchanged — each caller's promise settles only when the commit holding its rows does, so no token is
 * handed out before its refresh token is stored. Under light load a batch is one grant and waits one event-loop turn.
 * If a batch fails, its grants are retried one by one, so one bad row fails only its own request.
 */
@Injectable()
export class FamilyWriter {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  write(family: NewFamily): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ family, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.waiting.length === 0) return;
    this.scheduled = true;
    // One turn of the event loop lets grants decoded from the same socket read join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const settle = (waiting: Waiting, stored: Set<string>) => (stored.has(waiting.family.id) ? waiting.resolve() : waiting.reject(new StaleClientRecord(waiting.family.clientId)));
    try {
      const stored = await this.insert(batch.map((waiting) => waiting.family));
      for (const waiting of batch) settle(waiting, stored);
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((waiting) => this.insert([waiting.family]).then((stored) => settle(waiting, stored), waiting.reject)));
    }
  }

  /**
   * One named prepared statement for any batch size (arrays, not a VALUES list per size): each pooled connection has
   * Postgres parse and plan it once. TypeORM's query() cannot name a statement, so this uses the runner's pg client.
   * (Behind a transaction-mode pooler such as PgBouncer < 1.21, named statements need its prepared-statement support.)
   */
  private async insert(families: NewFamily[]): Promise<Set<string>> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client: { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: { family_id: string }[] }> } = await runner.connect();
      const result = await client.query({ name: 'auth_issue_refresh_token_families_v2', text: INSERT_FAMILIES, values: columns(families) });
      return new Set(result.rows.map((row) => row.family_id));
    } finally {
      await runner.release();
    }
  }
}

/**
 * The families and their first refresh tokens in one statement. A grant decided on a client record older than the
 * client's latest applied change (its revision barrier, ADR 0013) is left out — checked in the same statement, so it
 * costs no round trip — and its caller told so; the others are stored all or nothing.
 */
const INSERT_FAMILIES = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::int[])
      AS t("id", "integration_id", "client_id", "subject", "scope", "grant_type", "created_at", "expires_at", "token_hash", "client_revision")
  ), family AS (
    INSERT INTO "auth"."refresh_token_family" ("id", "integration_id", "client_id", "subject", "scope", "grant_type", "created_at", "expires_at")
    SELECT "id", "integration_id", "client_id", "subject", "scope", "grant_type", "created_at", "expires_at" FROM input
     WHERE NOT EXISTS (SELECT 1 FROM "auth"."client_revision" r WHERE r."client_id" = input."client_id" AND r."revision" > input."client_revision")
    RETURNING "id"
  )
  INSERT INTO "auth"."refresh_token" ("token_hash", "family_id", "created_at")
  SELECT input."token_hash", family."id", input."created_at" FROM input JOIN family ON family."id" = input."id" RETURNING "family_id"`;

/** The statement and its parameters, for a caller that writes a family inside its own transaction. */
export function insertFamiliesQuery(families: NewFamily[]): [string, unknown[]] {
  return [INSERT_FAMILIES, columns(families)];
}

function columns(families: NewFamily[]): unknown[] {
  return [
    families.map((f) => f.id),
    families.map((f) => f.integrationId),
    families.map((f) => f.clientId),
    families.map((f) => f.subject),
    families.map((f) => f.scope),
    families.map((f) => f.grantType),
    families.map((f) => f.createdAt.toISOString()),
    families.map((f) => f.expiresAt?.toISOString() ?? null),
    families.map((f) => f.tokenHash),
    families.map((f) => f.clientRevision),
  ];
}

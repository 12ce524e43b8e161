import { Column, Entity, Index, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Transactional outbox: an event is written in the same transaction as the change it describes, then relayed to
 * the bus. A crash between commit and publish therefore delays the event instead of losing it.
 */
@Entity({ name: 'outbox_event' })
@Index('outbox_event_pending', ['occurredAt'], { where: '"published_at" IS NULL' })
export class OutboxEvent {
  @PrimaryColumn('uuid') id: string;
  @Column('text') type: string;
  @Column('jsonb') data: unknown;
  @Column('jsonb', { default: () => `'{}'::jsonb` }) headers: Record<string, string>;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  /** Where the stream stored it (its publish acknowledgement): a consumer behind retention asks by this (ADR 0038). */
  @Column('bigint', { name: 'stream_sequence', nullable: true }) streamSequence: string | null;
}

/** Inbox: the ids of events a service has already applied, written in the transaction that applied them. */
@Entity({ name: 'processed_event' })
export class ProcessedEvent {
  @PrimaryColumn('uuid', { name: 'event_id' }) eventId: string;
  @Column('text') type: string;
  @Column('timestamptz', { name: 'processed_at', default: () => 'now()' }) processedAt: Date;
}

/** Used by each service's first migration to create its outbox and inbox in its own schema. */
export async function createMessagingTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`CREATE TABLE "${schema}"."outbox_event" (
    "id" uuid PRIMARY KEY, "type" text NOT NULL, "data" jsonb NOT NULL, "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
    "occurred_at" timestamptz NOT NULL, "published_at" timestamptz)`);
  await queryRunner.query(`CREATE INDEX "outbox_event_pending" ON "${schema}"."outbox_event" ("occurred_at") WHERE "published_at" IS NULL`);
  await queryRunner.query(`CREATE TABLE "${schema}"."processed_event" (
    "event_id" uuid PRIMARY KEY, "type" text NOT NULL, "processed_at" timestamptz NOT NULL DEFAULT now())`);
}

/** Indexes the pruner's scans use (docs/decisions/0016); each service adds them in a migration of its own. */
export async function createMessagingPruneIndexes(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(
    `CREATE INDEX IF NOT EXISTS "outbox_event_published" ON "${schema}"."outbox_event" ("published_at") WHERE "published_at" IS NOT NULL`,
  );
  await queryRunner.query(`CREATE INDEX IF NOT EXISTS "processed_event_processed_at" ON "${schema}"."processed_event" ("processed_at")`);
}

/** A message one of this service's durable consumers set aside: it will not be processed, an operator reads why. */
@Entity({ name: 'dead_letter' })
export class DeadLetterRecord {
  @PrimaryColumn('uuid') id: string;
  @Column('text') consumer: string;
  @Column('text') subject: string;
  @Column('text', { name: 'event_id', nullable: true }) eventId: string | null;
  @Column('text') reason: string;
  @Column('text') detail: string;
  @Column('integer') deliveries: number;
  @Column('text') payload: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}

export const MESSAGING_ENTITIES = [OutboxEvent, ProcessedEvent, DeadLetterRecord];

/** Each service's migration that creates its dead-letter table. */
export async function createDeadLetterTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`CREATE TABLE IF NOT EXISTS "${schema}"."dead_letter" (
    "id" uuid PRIMARY KEY, "consumer" text NOT NULL, "subject" text NOT NULL, "event_id" text, "reason" text NOT NULL,
    "detail" text NOT NULL, "deliveries" integer NOT NULL, "payload" text NOT NULL, "recorded_at" timestamptz NOT NULL)`);
  await queryRunner.query(`CREATE INDEX IF NOT EXISTS "dead_letter_recorded_at" ON "${schema}"."dead_letter" ("recorded_at")`);
}

/** Each service's migration that lets its outbox answer a replay by stream sequence (added by the service runtime). */
export function outboxSequenceMigration(schema: string) {
  return class OutboxStreamSequence1767300000000 implements MigrationInterface {
    name = 'OutboxStreamSequence1767300000000';
    async up(queryRunner: QueryRunner): Promise<void> {
      // A schema without an outbox (a store's test schema) has nothing to add to.
      const [{ outbox }] = await queryRunner.query(`SELECT to_regclass($1) AS outbox`, [`"${schema}"."outbox_event"`]);
      if (!outbox) return;
      await queryRunner.query(`ALTER TABLE "${schema}"."outbox_event" ADD COLUMN IF NOT EXISTS "stream_sequence" bigint`);
      await queryRunner.query(
        `CREATE INDEX IF NOT EXISTS "outbox_event_replay" ON "${schema}"."outbox_event" ("type", "stream_sequence") WHERE "stream_sequence" IS NOT NULL`,
      );
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP INDEX IF EXISTS "${schema}"."outbox_event_replay"`);
      await queryRunner.query(`ALTER TABLE "${schema}"."outbox_event" DROP COLUMN "stream_sequence"`);
    }
  };
}

/** The dead-letter table's migration for one service's schema (added by the service runtime, after the service's own). */
export function deadLetterMigration(schema: string) {
  return class DeadLetters1767200000000 implements MigrationInterface {
    name = 'DeadLetters1767200000000';
    async up(queryRunner: QueryRunner): Promise<void> {
      await createDeadLetterTable(queryRunner, schema);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE "${schema}"."dead_letter"`);
    }
  };
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One try to deliver a message: what the endpoint answered (its first bytes) and how long it took. */
@Entity({ name: 'webhook_attempt' })
export class WebhookAttempt {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'message_row_id' }) messageRowId: string;
  @Column('timestamptz', { name: 'attempted_at' }) attemptedAt: Date;
  @Column('int', { nullable: true }) status: number | null;
  @Column('int', { name: 'latency_ms' }) latencyMs: number;
  @Column('text') response: string;
  @Column('text', { nullable: true }) error: string | null;
}

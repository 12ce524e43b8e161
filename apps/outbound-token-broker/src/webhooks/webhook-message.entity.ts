import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookMessageState } from '@tessera/contracts';

/**
 * One event for one endpoint: the exact body every attempt sends (so a replay signs the same bytes) and where its
 * delivery stands. A row, not memory: a restart loses nothing.
 */
@Entity({ name: 'webhook_message' })
export class WebhookMessage {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'endpoint_id' }) endpointId: string;
  /** The `webhook-id` header: the same on every attempt, on a manual retry and on a recovery. */
  @Column('text', { name: 'message_id' }) messageId: string;
  @Column('uuid', { name: 'event_id' }) eventId: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('text') body: string;
  @Column('text') state: WebhookMessageState;
  /** How far along the retry schedule it is (reset by a manual retry or a recovery). */
  @Column('int', { name: 'schedule_step' }) scheduleStep: number;
  @Column('timestamptz', { name: 'next_attempt_at', nullable: true }) nextAttemptAt: Date | null;
  /** While a replica is sending it: another one leaves it alone until then. */
  @Column('timestamptz', { name: 'claimed_until', nullable: true }) claimedUntil: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}

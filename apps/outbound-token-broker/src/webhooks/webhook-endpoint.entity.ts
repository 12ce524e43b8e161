import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookDisabledReason } from '@tessera/contracts';

/** Where the broker delivers events (Standard Webhooks). Secrets sealed, bound to the row and field (BrokerSecrets). */
@Entity({ name: 'webhook_endpoint' })
export class WebhookEndpoint {
  @PrimaryColumn('uuid') id: string;
  @Column('text') url: string;
  @Column('jsonb', { name: 'event_types' }) eventTypes: string[];
  @Column('text', { nullable: true }) description: string | null;
  @Column('boolean') enabled: boolean;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: WebhookDisabledReason | null;
  /** The first failure of the current streak; null once a delivery succeeds. */
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince: Date | null;
  @Column('text', { name: 'secret_sealed' }) secretSealed: string;
  /** The secret before the last rotation, signing beside the current one until `previousSecretUntil`. */
  @Column('text', { name: 'previous_secret_sealed', nullable: true }) previousSecretSealed: string | null;
  @Column('timestamptz', { name: 'previous_secret_until', nullable: true }) previousSecretUntil: Date | null;
  /** Ed25519 private key (PKCS#8, base64), for `v1a` signatures. */
  @Column('text', { name: 'signing_key_sealed', nullable: true }) signingKeySealed: string | null;
  @Column('text', { name: 'public_key', nullable: true }) publicKey: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A receiver's stream (SSF 1.0 §8.1.1); its push Authorization header sealed with AES-256-GCM. */
@Entity({ name: 'ssf_stream' })
export class SsfStream {
  @PrimaryColumn('uuid') id: string;
  @Column('text') receiver: string;
  @Column('jsonb', { name: 'events_requested' }) eventsRequested: string[];
  @Column('text', { name: 'delivery_method' }) deliveryMethod: string;
  @Column('text', { name: 'endpoint_url', nullable: true }) endpointUrl: string | null;
  @Column('text', { name: 'authorization_header_sealed', nullable: true }) authorizationHeaderSealed: string | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text') status: 'enabled' | 'paused' | 'disabled';
  @Column('text', { name: 'status_reason', nullable: true }) statusReason: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  /** When the receiver last asked for a verification event (SSF 1.0 §8.1.4.2: not again within min_verification_interval). */
  @Column('timestamptz', { name: 'last_verification_at', nullable: true }) lastVerificationAt: Date | null;
}

/** A subject a stream asked for, under its match key (`opaque:<id>`, `jwt_id:<iss> <jti>`). */
@Entity({ name: 'ssf_subject' })
export class SsfSubject {
  @PrimaryColumn('uuid', { name: 'stream_id' }) streamId: string;
  @PrimaryColumn('text') key: string;
  @Column('jsonb') subject: Record<string, unknown>;
}

/** A SET owed to a stream: its claims, signed when delivered (so always with a key the JWKS still publishes). */
@Entity({ name: 'ssf_pending_set' })
export class SsfPendingSet {
  @PrimaryColumn('uuid') jti: string;
  @Column('uuid', { name: 'stream_id' }) streamId: string;
  @Column('jsonb') claims: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('integer') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
}

import type { IntegrationGrantType } from '@tessera/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An external system allowed to get tokens without a person at the keyboard (P6 Auth's "Integration"). */
@Entity({ name: 'integration' })
export class Integration {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { name: 'application_id', unique: true }) applicationId: string;
  /** HMAC-SHA-256 of the app secret with the platform's pepper; the secret itself is never stored. */
  @Column('text', { name: 'secret_hash' }) secretHash: string;
  /** After a rotation with a grace period, the previous secret keeps working until `previousSecretValidUntil`. */
  @Column('text', { name: 'previous_secret_hash', nullable: true }) previousSecretHash: string | null;
  @Column('timestamptz', { name: 'previous_secret_valid_until', nullable: true }) previousSecretValidUntil: Date | null;
  @Column('text', { name: 'redirect_uris', array: true, default: () => "'{}'" }) redirectUris: string[];
  @Column('boolean', { default: true }) enabled: boolean;
  @Column('boolean', { name: 'refresh_tokens_valid_until_revoked', default: false }) refreshTokensValidUntilRevoked: boolean;
  @Column('text', { array: true, default: () => "'{}'" }) permissions: string[];
  @Column('int', { name: 'access_token_ttl_seconds' }) accessTokenTtlSeconds: number;
  /** The grants this integration may use at the token endpoint (P2PI integrations: no client_credentials). */
  @Column('text', { name: 'grant_types', array: true }) grantTypes: IntegrationGrantType[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

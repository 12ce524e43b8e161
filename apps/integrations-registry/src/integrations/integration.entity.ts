import type { ClientJwks, IntegrationAuthenticationMethod, IntegrationGrantType } from '@tessera/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An external system allowed to get tokens without a person at the keyboard (P6 Auth's "Integration"). */
@Entity({ name: 'integration' })
export class Integration {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { name: 'application_id', unique: true }) applicationId: string;
  /** HMAC-SHA-256 of the app secret with the platform's pepper; the secret itself is never stored. Null: no secret (private_key_jwt). */
  @Column('text', { name: 'secret_hash', nullable: true }) secretHash: string | null;
  /** After a rotation with a grace period, the previous secret keeps working until `previousSecretValidUntil`. */
  @Column('text', { name: 'previous_secret_hash', nullable: true }) previousSecretHash: string | null;
  @Column('timestamptz', { name: 'previous_secret_valid_until', nullable: true }) previousSecretValidUntil: Date | null;
  @Column('text', { name: 'redirect_uris', array: true, default: () => "'{}'" }) redirectUris: string[];
  @Column('boolean', { default: true }) enabled: boolean;
  @Column('boolean', { name: 'refresh_tokens_valid_until_revoked', default: false }) refreshTokensValidUntilRevoked: boolean;
  @Column('text', { array: true, default: () => "'{}'" }) permissions: string[];
  @Column('int', { name: 'access_token_ttl_seconds' }) accessTokenTtlSeconds: number;
  /** Goes up with every change; what auth-server checks its cached copy against before issuing (ADR 0013). */
  @Column('int', { default: 1 }) revision: number;
  /** How long the previous refresh token may be re-presented after a rotation whose answer was lost (0: never). */
  @Column('int', { name: 'refresh_token_reuse_interval_seconds', default: 30 }) refreshTokenReuseIntervalSeconds: number;
  // Grant growth (docs/decisions/0016)
  @Column('boolean', { name: 'refresh_tokens_on_client_credentials', default: true }) refreshTokensOnClientCredentials: boolean;
  @Column('int', { name: 'client_credentials_tokens_per_hour', nullable: true }) clientCredentialsTokensPerHour: number | null;
  /** The grants this integration may use at the token endpoint (P2PI integrations: no client_credentials). */
  @Column('text', { name: 'grant_types', array: true }) grantTypes: IntegrationGrantType[];
  @Column('text', { name: 'token_endpoint_auth_method', default: 'client_secret_basic' }) tokenEndpointAuthMethod: IntegrationAuthenticationMethod;
  /** private_key_jwt: the public keys, inline (public by definition: shown in GET answers). */
  @Column('jsonb', { nullable: true }) jwks: ClientJwks | null;
  @Column('text', { name: 'jwks_uri', nullable: true }) jwksUri: string | null;
  @Column('boolean', { name: 'dpop_bound_access_tokens', default: false }) dpopBoundAccessTokens: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

import type { ClientAuthMethod, ExpiresInUnit, GrantType } from '@tessera/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** An OAuth 2 provider: where the broker gets tokens from, and how that server's answers differ from the standard. */
@Entity({ name: 'provider' })
export class Provider {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { name: 'docs_url', nullable: true }) docsUrl: string | null;
  @Column('text', { name: 'grant_type' }) grantType: GrantType;
  @Column('text', { name: 'client_id' }) clientId: string;
  /** AES-256-GCM sealed; never leaves the broker except in a request to the provider itself. */
  @Column('text', { name: 'client_secret_sealed', nullable: true }) clientSecretSealed: string | null;
  @Column('text', { name: 'authorization_url', nullable: true }) authorizationUrl: string | null;
  @Column('text', { name: 'token_url' }) tokenUrl: string;
  @Column('text', { name: 'refresh_url', nullable: true }) refreshUrl: string | null;
  @Column('text', { name: 'revocation_url', nullable: true }) revocationUrl: string | null;
  @Column('text', { array: true, default: () => `'{}'` }) scopes: string[];
  @Column('text', { name: 'scope_separator', default: ' ' }) scopeSeparator: string;
  @Column('text', { name: 'client_auth_method', default: 'client_secret_basic' }) clientAuthMethod: ClientAuthMethod;
  @Column('boolean', { default: true }) pkce: boolean;
  @Column('int', { name: 'state_length', default: 32 }) stateLength: number;
  @Column('text', { nullable: true }) prompt: string | null;
  @Column('jsonb', { name: 'authorization_params', default: () => `'{}'::jsonb` }) authorizationParams: Record<string, string>;
  @Column('jsonb', { name: 'token_params', default: () => `'{}'::jsonb` }) tokenParams: Record<string, string>;
  @Column('text', { name: 'access_token_path', default: 'access_token' }) accessTokenPath: string;
  @Column('text', { name: 'refresh_token_path', default: 'refresh_token' }) refreshTokenPath: string;
  @Column('text', { name: 'expires_in_path', default: 'expires_in' }) expiresInPath: string;
  @Column('text', { name: 'refresh_grant_param', default: 'grant_type' }) refreshGrantParam: string;
  @Column('text', { name: 'refresh_grant_value', default: 'refresh_token' }) refreshGrantValue: string;
  @Column('jsonb', { name: 'refresh_params', default: () => `'{}'::jsonb` }) refreshParams: Record<string, string>;
  @Column('text', { name: 'expires_in_unit', default: 'seconds' }) expiresInUnit: ExpiresInUnit;
  @Column('int', { name: 'refresh_buffer_seconds', default: 60 }) refreshBufferSeconds: number;
  @Column('int', { name: 'timeout_seconds', default: 30 }) timeoutSeconds: number;
  @Column('int', { name: 'default_lifetime_seconds', nullable: true }) defaultLifetimeSeconds: number | null;
  /** Bumped on every change; part of the cache key of the provider's passport strategy, so an edit rebuilds it. */
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

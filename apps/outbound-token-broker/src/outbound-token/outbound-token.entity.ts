import type { ProxyLimits, TokenState } from '@tessera/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One use of a provider with its own credentials. */
@Entity({ name: 'outbound_token' })
@Index('outbound_token_due', ['nextRefreshAt'], { where: '"next_refresh_at" IS NOT NULL' })
export class OutboundToken {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('uuid', { name: 'provider_id' }) providerId: string;
  @Column('boolean', { default: true }) active: boolean;
  @Column('text', { array: true, nullable: true }) scopes: string[] | null;
  @Column('text', { nullable: true }) prompt: string | null;
  @Column('jsonb', { default: () => `'{}'::jsonb` }) variables: Record<string, string>;
  @Column('text', { name: 'base_url', nullable: true }) baseUrl: string | null;
  /** Values the provider's token answers carried for its URLs (tokenResponseVariables): not secret, but this grant's. */
  @Column('jsonb', { name: 'response_values', default: () => `'{}'::jsonb` }) responseValues: Record<string, string>;
  /** The platform instance a P2PI token acts on: such a token needs `<instance>:p2pi=…`, never `*:tokens…` (ADR 0016). */
  @Column('text', { name: 'platform_instance', nullable: true }) platformInstance: string | null;
  @Column('text', { nullable: true }) username: string | null;
  @Column('text', { name: 'password_sealed', nullable: true }) passwordSealed: string | null;
  @Column('text') state: TokenState;
  @Column('text', { name: 'token_type', default: 'Bearer' }) tokenType: string;
  @Column('text', { nullable: true }) scope: string | null;
  @Column('text', { name: 'access_token_sealed', nullable: true }) accessTokenSealed: string | null;
  @Column('text', { name: 'refresh_token_sealed', nullable: true }) refreshTokenSealed: string | null;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'last_refreshed_at', nullable: true }) lastRefreshedAt: Date | null;
  /** When the scheduler next refreshes it (≈80 % of the lifetime, jittered; or the next retry after a transient failure). */
  @Column('timestamptz', { name: 'next_refresh_at', nullable: true }) nextRefreshAt: Date | null;
  /** The claim of whoever is refreshing it now (docs/decisions/0017): committed before the provider call, cleared by its result. */
  @Column('uuid', { name: 'lease_id', nullable: true }) leaseId: string | null;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil: Date | null;
  /** The broker process that took the lease; while it is not alive (lease_holder table) the lease is void. */
  @Column('uuid', { name: 'lease_holder', nullable: true }) leaseHolder: string | null;
  @Column('text', { name: 'last_message', nullable: true }) lastMessage: string | null;
  @Column('int', { name: 'consecutive_failures', default: 0 }) consecutiveFailures: number;
  @Column('text', { name: 'last_transient_error', nullable: true }) lastTransientError: string | null;
  /** Overrides of the proxy's timeouts and response size cap for calls with this token (ADR 0015). */
  @Column('jsonb', { name: 'proxy_limits', default: () => `'{}'::jsonb` }) proxyLimits: ProxyLimits;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

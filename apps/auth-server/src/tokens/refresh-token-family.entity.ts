import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The chain of refresh tokens that rotation produces from one grant. Revoking it ends every token in it. */
@Entity({ name: 'refresh_token_family' })
export class RefreshTokenFamily {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'integration_id' }) integrationId: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('text') subject: string;
  @Column('text') scope: string;
  @Column('text', { name: 'grant_type' }) grantType: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  /** 28 days after issue, or null when the integration's refresh tokens are valid until revoked. */
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason: string | null;
}

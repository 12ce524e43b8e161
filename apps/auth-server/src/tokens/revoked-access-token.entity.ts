import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Access tokens revoked one by one (RFC 7009), kept until they would have expired anyway. */
@Entity({ name: 'revoked_access_token' })
export class RevokedAccessToken {
  @PrimaryColumn('uuid') jti: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'revoked_at' }) revokedAt: Date;
}

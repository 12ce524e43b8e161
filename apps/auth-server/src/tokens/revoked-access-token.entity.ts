import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Access tokens revoked one by one (RFC 7009), kept until they would have expired anyway. */
@Entity({ name: 'revoked_access_token' })
export class RevokedAccessToken {
  @PrimaryColumn('uuid') jti: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'revoked_at' }) revokedAt: Date;
}

/**
 * The latest integration revision auth-server has been told of, per client. No token is issued from a cached client
 * record older than this: the check is part of the statement that stores the grant (ADR 0013).
 */
@Entity({ name: 'client_revision' })
export class ClientRevision {
  @PrimaryColumn('text', { name: 'client_id' }) clientId: string;
  @Column('int') revision: number;
  @Column('timestamptz', { name: 'changed_at' }) changedAt: Date;
}

/** A client whose every token issued up to `revokedAt` is revoked (integration disabled, deleted or narrowed). */
@Entity({ name: 'client_revocation' })
export class ClientRevocation {
  @PrimaryColumn('text', { name: 'client_id' }) clientId: string;
  @Column('timestamptz', { name: 'revoked_at' }) revokedAt: Date;
  /** Tokens stamped with a revision (`cv`) below this one are revoked; those without `cv` by `iat <= revokedAt`. */
  @Column('int', { name: 'min_revision', nullable: true }) minRevision: number | null;
}

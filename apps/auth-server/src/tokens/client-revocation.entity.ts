import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A client whose every token issued up to `revokedAt` is revoked (integration disabled, deleted or narrowed). */
@Entity({ name: 'client_revocation' })
export class ClientRevocation {
  @PrimaryColumn('text', { name: 'client_id' }) clientId: string;
  @Column('timestamptz', { name: 'revoked_at' }) revokedAt: Date;
  /** Tokens stamped with a revision (`cv`) below this one are revoked; those without `cv` by `iat <= revokedAt`. */
  @Column('int', { name: 'min_revision', nullable: true }) minRevision: number | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One refresh token, stored as the SHA-256 of its 256-bit random value (enough for a value nobody can guess). */
@Entity({ name: 'refresh_token' })
export class RefreshToken {
  @PrimaryColumn('text', { name: 'token_hash' }) tokenHash: string;
  @Column('uuid', { name: 'family_id' }) familyId: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  /** Set when it was exchanged; presenting it again is re-use and revokes the family (RFC 9700 §4.14). */
  @Column('timestamptz', { name: 'rotated_at', nullable: true }) rotatedAt: Date | null;
  /** The hash of the token its (latest) rotation issued: the successor the reuse interval looks at. */
  @Column('text', { name: 'replaced_by', nullable: true }) replacedBy: string | null;
  /** Set when a retry of its predecessor, within the reuse interval, issued another one in its place before it was used. */
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt: Date | null;
}

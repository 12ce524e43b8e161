import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A single-use authorization code (stored hashed), bound to its client, redirect URI, PKCE challenge, consenting admin and, if asked, DPoP key. */
@Entity({ name: 'authorization_code' })
export class AuthorizationCode {
  @PrimaryColumn('text', { name: 'code_hash' }) codeHash: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('text', { name: 'redirect_uri' }) redirectUri: string;
  @Column('text') scope: string;
  @Column('text', { name: 'code_challenge' }) codeChallenge: string;
  @Column('text') subject: string;
  @Column('text', { nullable: true }) resource: string | null;
  /** RFC 9449 §10: the thumbprint of the DPoP key the client asked the code to be bound to. */
  @Column('text', { name: 'dpop_jkt', nullable: true }) dpopJkt: string | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt: Date | null;
  /** The family its exchange created, revoked if the code is ever presented again. */
  @Column('uuid', { name: 'family_id', nullable: true }) familyId: string | null;
}

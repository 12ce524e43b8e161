import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One "get authorization token" attempt: its state binds the provider's redirect back to this token, once. */
@Entity({ name: 'authorization_request' })
export class AuthorizationRequest {
  @PrimaryColumn('text') state: string;
  @Column('uuid', { name: 'token_id' }) tokenId: string;
  @Column('text', { name: 'code_verifier_sealed', nullable: true }) codeVerifierSealed: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt: Date | null;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An ES256 key pair for access tokens. The private half is sealed with the platform key (AES-256-GCM, bound to kid). */
@Entity({ name: 'signing_key' })
export class SigningKey {
  @PrimaryColumn('text') kid: string;
  @Column('text') alg: string;
  @Column('jsonb', { name: 'public_jwk' }) publicJwk: Record<string, unknown>;
  @Column('text', { name: 'private_jwk_sealed' }) privateJwkSealed: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** When it stopped signing; it stays in the JWKS until the last token it signed has expired. */
  @Column('timestamptz', { name: 'retired_at', nullable: true }) retiredAt: Date | null;
}

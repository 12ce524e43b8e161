import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A key this platform signs client assertions with when it calls another platform (P2PI with private_key_jwt). */
@Entity({ name: 'platform_client_key' })
export class PlatformClientKey {
  /** The RFC 7638 thumbprint of its public key. */
  @PrimaryColumn('text') kid: string;
  @Column('text') alg: 'ES256';
  @Column('jsonb', { name: 'public_jwk' }) publicJwk: Record<string, string>;
  /** The private key (PKCS #8 PEM), AES-256-GCM with the platform key, bound to its kid. */
  @Column('text', { name: 'private_key_sealed' }) privateKeySealed: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  /** From when it signs: the newest key past this time is the current one. */
  @Column('timestamptz', { name: 'active_from' }) activeFrom: Date;
  /** When it leaves the published JWKS (set when a newer key takes over); after that it is deleted. */
  @Column('timestamptz', { name: 'retires_at', nullable: true }) retiresAt: Date | null;
}

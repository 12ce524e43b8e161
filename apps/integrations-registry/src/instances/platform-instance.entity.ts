import type { InstanceTokenView } from '@tessera/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Another platform this one knows (P2PI's "platform instance record"). */
@Entity({ name: 'platform_instance' })
export class PlatformInstance {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { name: 'base_url' }) baseUrl: string;
  @Column('text', { name: 'auth_type', default: 'none' }) authType: 'none' | 'oauth' | 'password';
  @Column('uuid', { name: 'client_app_id', nullable: true }) clientAppId: string | null;
  @Column('text', { nullable: true }) username: string | null;
  /** AES-256-GCM with the platform key, bound to the instance id. */
  @Column('text', { name: 'password_sealed', nullable: true }) passwordSealed: string | null;
  /** The broker's outbound token holding this platform's OAuth token for the instance. */
  @Column('uuid', { name: 'token_id', nullable: true }) tokenId: string | null;
  /** The state of the OAuth token the broker holds for this instance, kept current from its events. */
  @Column('jsonb', { nullable: true }) token: InstanceTokenView | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

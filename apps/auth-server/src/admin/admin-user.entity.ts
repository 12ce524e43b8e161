import type { AdminRole } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'admin_user' })
export class AdminUser {
  /** The name signed in with; it never changes, so the audit log's names stay true. */
  @PrimaryColumn('text') username: string;
  @Column('uuid', { default: () => 'gen_random_uuid()' }) id: string;
  @Column('text') role: AdminRole;
  /** argon2id: a person's password is low-entropy, so it gets a slow, memory-hard hash. */
  @Column('text', { name: 'password_hash' }) passwordHash: string;
  /** A generated one-time password (a new user, a reset): the next sign-in may only change it. */
  @Column('boolean', { name: 'must_change_password', default: false }) mustChangePassword: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

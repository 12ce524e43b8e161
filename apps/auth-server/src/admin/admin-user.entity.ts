import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'admin_user' })
export class AdminUser {
  @PrimaryColumn('text') username: string;
  /** argon2id: a person's password is low-entropy, so it gets a slow, memory-hard hash. */
  @Column('text', { name: 'password_hash' }) passwordHash: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

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

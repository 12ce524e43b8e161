import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The instance names permissions may name (`acme:users=read`), learned from instance.registered events. */
@Entity({ name: 'known_instance' })
export class KnownInstance {
  @PrimaryColumn('uuid', { name: 'instance_id' }) instanceId: string;
  @Column('text', { unique: true }) name: string;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
}

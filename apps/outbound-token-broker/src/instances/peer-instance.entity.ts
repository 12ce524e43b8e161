import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A platform instance the broker may hold tokens for (P2PI): where to reach it, learned from instance.registered. */
@Entity({ name: 'peer_instance' })
export class PeerInstance {
  @PrimaryColumn('uuid', { name: 'instance_id' }) instanceId: string;
  @Column('text', { unique: true }) name: string;
  @Column('text', { name: 'base_url' }) baseUrl: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A name a deleted token held, and the provider it came from. Callers (`/proxy/<name>`, `GET /tokens/<name>`,
 * broker-client) address tokens by name, so a name keeps pointing them somewhere after its token is gone: re-creating
 * it from another provider needs the admin role (docs/decisions/0026). One row per name ever deleted, kept.
 */
@Entity({ name: 'retired_token_name' })
export class RetiredTokenName {
  @PrimaryColumn('text') name: string;
  @Column('uuid', { name: 'provider_id' }) providerId: string;
  @Column('timestamptz', { name: 'retired_at' }) retiredAt: Date;
}

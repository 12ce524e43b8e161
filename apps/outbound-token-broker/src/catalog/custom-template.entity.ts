import type { ProviderTemplate } from '@tessera/catalog';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An admin's own catalog template (POST /admin/catalog or an import), checked as the repository's are. */
@Entity({ name: 'custom_template' })
export class CustomTemplate {
  @PrimaryColumn('text') id: string;
  @Column('int') version: number;
  @Column('jsonb') template: ProviderTemplate;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

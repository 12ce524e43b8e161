import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource, ILike, type FindOptionsWhere } from 'typeorm';
import { Integration } from './integration.entity.js';

/** An integration as created: its timestamps are the database's. */
export type NewIntegration = Omit<Integration, 'createdAt' | 'updatedAt'>;

/** Which integrations a page shows. */
export interface IntegrationFilter {
  /** A part of the name, matched case-insensitively and literally (`%` and `_` are no wildcards). */
  name?: string;
  enabled?: boolean;
  limit: number;
  offset: number;
}

/**
 * Where integrations are kept, in the registry's words (ADR 0032). Changes take the caller's transaction, which also
 * carries their event and audit line; reads stand alone.
 */
export abstract class IntegrationStore {
  abstract insert(tx: Transaction, integration: NewIntegration): Promise<Integration>;
  /** The integration, locked until the transaction ends, so concurrent changes to one integration apply in turn. */
  abstract lockForChange(tx: Transaction, id: string): Promise<Integration | null>;
  abstract save(tx: Transaction, integration: Integration): Promise<Integration>;
  abstract delete(tx: Transaction, id: string): Promise<void>;
  abstract get(id: string): Promise<Integration | null>;
  abstract byApplicationId(applicationId: string): Promise<Integration | null>;
  /** A page ordered by name, and how many match in all. */
  abstract page(filter: IntegrationFilter): Promise<{ items: Integration[]; total: number }>;
  /** Every permission granted to some integration, with how many hold it. */
  abstract permissionsInUse(): Promise<{ permission: string; integrations: number }[]>;
}

/** Integrations in the registry's Postgres schema. */
@Injectable()
export class SqlIntegrationStore extends IntegrationStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  insert(tx: Transaction, integration: NewIntegration): Promise<Integration> {
    return tx.save(tx.create(Integration, integration));
  }

  lockForChange(tx: Transaction, id: string): Promise<Integration | null> {
    return tx.getRepository(Integration).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  save(tx: Transaction, integration: Integration): Promise<Integration> {
    return tx.save(integration);
  }

  async delete(tx: Transaction, id: string): Promise<void> {
    await tx.delete(Integration, { id });
  }

  get(id: string): Promise<Integration | null> {
    return this.dataSource.getRepository(Integration).findOneBy({ id });
  }

  byApplicationId(applicationId: string): Promise<Integration | null> {
    return this.dataSource.getRepository(Integration).findOneBy({ applicationId });
  }

  async page(filter: IntegrationFilter): Promise<{ items: Integration[]; total: number }> {
    const where: FindOptionsWhere<Integration> = {};
    if (filter.name) where.name = ILike(`%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    const [items, total] = await this.dataSource
      .getRepository(Integration)
      .findAndCount({ where, order: { name: 'ASC' }, take: filter.limit, skip: filter.offset });
    return { items, total };
  }

  /** One pass over the table, counted in Postgres. */
  async permissionsInUse(): Promise<{ permission: string; integrations: number }[]> {
    const rows: { permission: string; integrations: string }[] = await this.dataSource.query(
      `SELECT p AS permission, count(*) AS integrations FROM "registry"."integration", unnest(permissions) AS p GROUP BY p ORDER BY p`,
    );
    return rows.map((r) => ({ permission: r.permission, integrations: Number(r.integrations) }));
  }
}

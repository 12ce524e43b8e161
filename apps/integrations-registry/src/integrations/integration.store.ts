import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The SQL of integrations beyond their entity. */
@Injectable()
export class IntegrationStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every permission granted to some integration, with how many hold it: one pass over the table, counted in Postgres. */
  async permissionsInUse(): Promise<{ permission: string; integrations: number }[]> {
    const rows: { permission: string; integrations: string }[] = await this.dataSource.query(
      `SELECT p AS permission, count(*) AS integrations FROM "registry"."integration", unnest(permissions) AS p GROUP BY p ORDER BY p`,
    );
    return rows.map((r) => ({ permission: r.permission, integrations: Number(r.integrations) }));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { Provider } from './provider.entity.js';

/**
 * Where providers are kept, in the broker's words (ADR 0032). Changes take the caller's transaction, which also
 * carries their audit lines (and, for an update, the changes to the provider's tokens); reads stand alone.
 */
export abstract class ProviderStore {
  /** Stores new providers, all or none, and answers them as stored. */
  abstract insert(tx: Transaction, providers: Provider[]): Promise<Provider[]>;
  abstract save(tx: Transaction, provider: Provider): Promise<Provider>;
  abstract delete(tx: Transaction, id: string): Promise<void>;
  abstract exists(id: string): Promise<boolean>;
  abstract get(id: string): Promise<Provider | null>;
  /** A page ordered by name, and how many there are in all. */
  abstract page(limit: number, offset: number): Promise<{ items: Provider[]; total: number }>;
}

/** Providers in the broker's Postgres schema. */
@Injectable()
export class SqlProviderStore extends ProviderStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  insert(tx: Transaction, providers: Provider[]): Promise<Provider[]> {
    return tx.save(providers);
  }

  save(tx: Transaction, provider: Provider): Promise<Provider> {
    return tx.save(provider);
  }

  async delete(tx: Transaction, id: string): Promise<void> {
    await tx.getRepository(Provider).delete({ id });
  }

  exists(id: string): Promise<boolean> {
    return this.dataSource.getRepository(Provider).existsBy({ id });
  }

  get(id: string): Promise<Provider | null> {
    return this.dataSource.getRepository(Provider).findOneBy({ id });
  }

  async page(limit: number, offset: number): Promise<{ items: Provider[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(Provider).findAndCount({ order: { name: 'ASC' }, take: limit, skip: offset });
    return { items, total };
  }
}

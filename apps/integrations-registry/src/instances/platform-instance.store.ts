import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { PlatformInstance } from './platform-instance.entity.js';

/** A platform instance as registered: no authentication yet, its timestamps the database's. */
export type NewPlatformInstance = Pick<PlatformInstance, 'id' | 'name' | 'baseUrl'>;

/**
 * Where platform instance records are kept, in the registry's words (ADR 0032). Changes take the caller's
 * transaction, which also carries their event and audit line; reads stand alone.
 */
export abstract class PlatformInstanceStore {
  abstract insert(tx: Transaction, instance: NewPlatformInstance): Promise<PlatformInstance>;
  /** The record, locked until the transaction ends, so concurrent changes to one instance apply in turn. */
  abstract lockForChange(tx: Transaction, id: string): Promise<PlatformInstance | null>;
  /** The record holding this outbound token, locked until the transaction ends. */
  abstract lockByToken(tx: Transaction, tokenId: string): Promise<PlatformInstance | null>;
  abstract save(tx: Transaction, instance: PlatformInstance): Promise<PlatformInstance>;
  abstract delete(tx: Transaction, id: string): Promise<void>;
  abstract get(id: string): Promise<PlatformInstance | null>;
  abstract byName(name: string): Promise<PlatformInstance | null>;
  /** Records the outbound token the instance is called with, on its own. */
  abstract setTokenId(id: string, tokenId: string): Promise<void>;
  /** A page ordered by name, and how many there are in all. */
  abstract page(limit: number, offset: number): Promise<{ items: PlatformInstance[]; total: number }>;
}

/** Platform instance records in the registry's Postgres schema. */
@Injectable()
export class SqlPlatformInstanceStore extends PlatformInstanceStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  insert(tx: Transaction, instance: NewPlatformInstance): Promise<PlatformInstance> {
    return tx.save(tx.create(PlatformInstance, instance));
  }

  lockForChange(tx: Transaction, id: string): Promise<PlatformInstance | null> {
    return tx.getRepository(PlatformInstance).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  lockByToken(tx: Transaction, tokenId: string): Promise<PlatformInstance | null> {
    return tx.getRepository(PlatformInstance).findOne({ where: { tokenId }, lock: { mode: 'pessimistic_write' } });
  }

  save(tx: Transaction, instance: PlatformInstance): Promise<PlatformInstance> {
    return tx.save(instance);
  }

  async delete(tx: Transaction, id: string): Promise<void> {
    await tx.delete(PlatformInstance, { id });
  }

  get(id: string): Promise<PlatformInstance | null> {
    return this.dataSource.getRepository(PlatformInstance).findOneBy({ id });
  }

  byName(name: string): Promise<PlatformInstance | null> {
    return this.dataSource.getRepository(PlatformInstance).findOneBy({ name });
  }

  async setTokenId(id: string, tokenId: string): Promise<void> {
    await this.dataSource.getRepository(PlatformInstance).update({ id }, { tokenId });
  }

  async page(limit: number, offset: number): Promise<{ items: PlatformInstance[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(PlatformInstance).findAndCount({ order: { name: 'ASC' }, take: limit, skip: offset });
    return { items, total };
  }
}

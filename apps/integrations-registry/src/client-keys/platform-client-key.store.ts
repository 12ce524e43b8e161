import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { PlatformClientKey } from './platform-client-key.entity.js';

/** Where this platform's client keys are kept, in the registry's words (ADR 0032). */
export abstract class PlatformClientKeyStore {
  /** Every key, the latest to sign first. */
  abstract all(): Promise<PlatformClientKey[]>;
  /** Locks the keys until the transaction ends, so two replicas never both make the first key or rotate at once. */
  abstract lockAll(tx: Transaction): Promise<PlatformClientKey[]>;
  abstract insert(tx: Transaction, key: PlatformClientKey): Promise<void>;
  /** Plans the retirement of every key not yet planned to retire. */
  abstract retireUnplanned(tx: Transaction, at: Date): Promise<void>;
  /** Deletes the keys retired by `now`: their private parts are gone with them. */
  abstract deleteRetired(tx: Transaction, now: Date): Promise<void>;
}

@Injectable()
export class SqlPlatformClientKeyStore extends PlatformClientKeyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  all(): Promise<PlatformClientKey[]> {
    return this.dataSource.getRepository(PlatformClientKey).find({ order: { activeFrom: 'DESC' } });
  }

  async lockAll(tx: Transaction): Promise<PlatformClientKey[]> {
    // A table lock, not row locks: there may be no row yet to lock when the first key is made.
    await tx.query(`LOCK TABLE "registry"."platform_client_key" IN SHARE ROW EXCLUSIVE MODE`);
    return tx.getRepository(PlatformClientKey).find({ order: { activeFrom: 'DESC' } });
  }

  async insert(tx: Transaction, key: PlatformClientKey): Promise<void> {
    await tx.getRepository(PlatformClientKey).insert(key);
  }

  async retireUnplanned(tx: Transaction, at: Date): Promise<void> {
    await tx.getRepository(PlatformClientKey).update({ retiresAt: IsNull() }, { retiresAt: at });
  }

  async deleteRetired(tx: Transaction, now: Date): Promise<void> {
    await tx.getRepository(PlatformClientKey).delete({ retiresAt: LessThanOrEqual(now) });
  }
}

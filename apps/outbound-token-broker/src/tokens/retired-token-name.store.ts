import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { RetiredTokenName } from './retired-token-name.entity.js';

/** Where the names of deleted tokens are kept, in the broker's words (ADR 0032). */
export abstract class RetiredTokenNameStore {
  abstract get(name: string): Promise<RetiredTokenName | null>;
  /** Records that a token's name was given up, in the transaction that deletes the token; a name retired again moves on. */
  abstract retire(tx: Transaction, retired: RetiredTokenName): Promise<void>;
}

/** Retired token names in the broker's Postgres schema. */
@Injectable()
export class SqlRetiredTokenNameStore extends RetiredTokenNameStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  get(name: string): Promise<RetiredTokenName | null> {
    return this.dataSource.getRepository(RetiredTokenName).findOneBy({ name });
  }

  async retire(tx: Transaction, retired: RetiredTokenName): Promise<void> {
    await tx.getRepository(RetiredTokenName).upsert(retired, ['name']);
  }
}

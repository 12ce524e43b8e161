import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@tessera/persistence';
import { DataSource, IsNull, type QueryDeepPartialEntity } from 'typeorm';
import { SigningKey } from './signing-key.entity.js';

/** Where signing keys are kept, in auth-server's words (ADR 0032). */
export abstract class SigningKeyStore {
  /**
   * Rotation is decided by one replica at a time: this takes a transaction-scoped lock (released at commit), so two
   * replicas finding the key due never both make one.
   */
  abstract lockRotation(tx: Transaction): Promise<void>;
  /** The newest key not retired. */
  abstract current(tx: Transaction): Promise<SigningKey | null>;
  abstract insert(tx: Transaction, key: SigningKey): Promise<void>;
  abstract retire(tx: Transaction, kid: string, at: Date): Promise<void>;
  /** Every key, newest first. */
  abstract all(): Promise<SigningKey[]>;
}

/** Signing keys in auth-server's Postgres schema. */
@Injectable()
export class SqlSigningKeyStore extends SigningKeyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async lockRotation(tx: Transaction): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tessera:signing-key-rotation'))`);
  }

  current(tx: Transaction): Promise<SigningKey | null> {
    return tx.getRepository(SigningKey).findOne({ where: { retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  async insert(tx: Transaction, key: SigningKey): Promise<void> {
    // The public JWK is JSON for the column, whatever its TypeScript shape.
    await tx.insert(SigningKey, key as QueryDeepPartialEntity<SigningKey>);
  }

  async retire(tx: Transaction, kid: string, at: Date): Promise<void> {
    await tx.update(SigningKey, { kid }, { retiredAt: at });
  }

  all(): Promise<SigningKey[]> {
    return this.dataSource.getRepository(SigningKey).find({ order: { createdAt: 'DESC' } });
  }
}

import { Injectable } from '@nestjs/common';
import type { Transaction } from '@tessera/persistence';
import { KnownInstance } from './known-instance.entity.js';

/** auth-server's copy of the registered platform instances' names, in its words (ADR 0032). */
export abstract class KnownInstanceStore {
  /** Records an instance, or what changed of it, in the transaction that applies its event. */
  abstract put(tx: Transaction, instance: KnownInstance): Promise<void>;
  abstract delete(tx: Transaction, instanceId: string): Promise<void>;
}

/** Known instances in auth-server's Postgres schema. */
@Injectable()
export class SqlKnownInstanceStore extends KnownInstanceStore {
  async put(tx: Transaction, instance: KnownInstance): Promise<void> {
    await tx.upsert(KnownInstance, instance, ['instanceId']);
  }

  async delete(tx: Transaction, instanceId: string): Promise<void> {
    await tx.delete(KnownInstance, { instanceId });
  }
}

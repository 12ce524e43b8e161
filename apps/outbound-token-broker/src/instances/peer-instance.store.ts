import { Injectable } from '@nestjs/common';
import type { Transaction } from '@tessera/persistence';
import { PeerInstance } from './peer-instance.entity.js';

/** The broker's copy of the platform instances it may hold tokens for, in its words (ADR 0032). */
export abstract class PeerInstanceStore {
  /** Records an instance, or what changed of it, in the transaction that applies its event. */
  abstract put(tx: Transaction, instance: PeerInstance): Promise<void>;
  abstract delete(tx: Transaction, instanceId: string): Promise<void>;
}

/** Peer instances in the broker's Postgres schema. */
@Injectable()
export class SqlPeerInstanceStore extends PeerInstanceStore {
  async put(tx: Transaction, instance: PeerInstance): Promise<void> {
    await tx.upsert(PeerInstance, instance, ['instanceId']);
  }

  async delete(tx: Transaction, instanceId: string): Promise<void> {
    await tx.delete(PeerInstance, { instanceId });
  }
}

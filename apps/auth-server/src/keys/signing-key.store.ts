import type { EntityManager } from 'typeorm';

/**
 * The SQL of signing keys beyond their entity: rotation is decided by one replica at a time, under a transaction-scoped
 * advisory lock (released at commit), so two replicas finding the key due never both make one.
 */
export async function lockKeyRotation(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('tessera:signing-key-rotation'))`);
}

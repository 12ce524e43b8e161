import { Injectable } from '@nestjs/common';
import { GroupCommit } from '@tessera/persistence';
import { StaleClientRecord } from '../clients/client-directory.js';
import { RefreshTokenFamilyStore, type NewFamily } from './refresh-token-family.store.js';

export type { NewFamily } from './refresh-token-family.store.js';

/**
 * Group commit for new grants (docs/decisions/0011): grants that arrive while a write is in flight go to Postgres
 * together, as one INSERT … SELECT FROM unnest(…), so no token is handed out before its refresh token is stored and
 * a burst costs one WAL flush, not one per token. A grant decided on a client record older than the client's latest
 * applied change is left out by the statement and its caller told so (StaleClientRecord).
 */
@Injectable()
export class FamilyWriter {
  private readonly commits: GroupCommit<NewFamily>;

  constructor(private readonly families: RefreshTokenFamilyStore) {
    this.commits = new GroupCommit(
      async (batch) => {
        const stored = await this.families.insertPrepared(batch);
        return batch.map((family) => stored.has(family.id));
      },
      { retryConcurrently: true },
    );
  }

  async write(family: NewFamily): Promise<void> {
    if (!(await this.commits.add(family))) throw new StaleClientRecord(family.clientId);
  }
}

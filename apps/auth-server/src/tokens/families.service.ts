import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BusError, type RefreshTokenFamilyView } from '@tessera/contracts';
import { EventOutbox, type Clock } from '@tessera/persistence';
import { CLOCK } from '@tessera/runtime';
import { DataSource, IsNull } from 'typeorm';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { RevocationService } from './revocation.service.js';

/** The live grants of an integration, as an admin sees and revokes them. */
@Injectable()
export class FamiliesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revocations: RevocationService,
    private readonly outbox: EventOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(integrationId: string): Promise<RefreshTokenFamilyView[]> {
    const now = this.clock.now();
    const families = await this.dataSource.getRepository(RefreshTokenFamily).find({
      where: { integrationId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
      take: 1000,
    });
    return families
      .filter((f) => !f.expiresAt || f.expiresAt > now)
      .map((f) => ({
        id: f.id, integrationId: f.integrationId, clientId: f.clientId, scope: f.scope, grantType: f.grantType,
        createdAt: f.createdAt.toISOString(), lastUsedAt: f.lastUsedAt?.toISOString() ?? null, expiresAt: f.expiresAt?.toISOString() ?? null,
      }));
  }

  async revoke(integrationId: string, familyId: string): Promise<void> {
    const family = await this.dataSource.getRepository(RefreshTokenFamily).findOneBy({ id: familyId, integrationId });
    if (!family || family.revokedAt) throw BusError.notFound('Token family', familyId);
    await this.dataSource.transaction((manager) => this.revocations.revokeFamily(manager, familyId, 'admin'));
    void this.outbox.flush();
  }
}

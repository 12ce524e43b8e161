import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  BusError, Events, Subjects, type AuthorizeTokenReply, type ClientAppRequest, type CreateTokenCommand, type InstanceAuthorizationEvent, type PlatformInstanceView,
  type ProviderView,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { EventOutbox } from '@tessera/persistence';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PlatformInstance } from './platform-instance.entity.js';
import { toView } from './platform-instances.service.js';

/**
 * P2PI's OAuth side of a platform instance record. The record is the registry's; the client app (a provider) and the
 * token live in the outbound token broker, which this service drives over the bus.
 */
@Injectable()
export class InstanceTrustService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly bus: BusClient, private readonly outbox: EventOutbox) {}

  private async instance(id: string): Promise<PlatformInstance> {
    const instance = await this.dataSource.getRepository(PlatformInstance).findOneBy({ id });
    if (!instance) throw BusError.notFound('Instance', id);
    return instance;
  }

  /** "Use OAuth-based authentication" must name an outbound client app that exists. */
  async assertClientAppExists(clientAppId: string): Promise<void> {
    await this.bus.call(Subjects.broker.provider.get, { id: clientAppId }).catch((error) => {
      if (error instanceof BusError && error.code === 'not_found') throw new BusError('validation_failed', 'The request has invalid fields', { 'auth.clientAppId': ['no outbound client app has this id'] });
      throw error;
    });
  }

  /** The outbound client app: the credentials the other platform issued, its endpoints from its RFC 8414 metadata. */
  async createClientApp(id: string, credentials: ClientAppRequest): Promise<ProviderView> {
    const instance = await this.instance(id);
    return this.bus.call(Subjects.broker.provider.discover, { name: `p2pi-${instance.name}-app-${randomUUID().slice(0, 4)}`, issuer: instance.baseUrl, ...credentials });
  }

  /** The "request" link: the instance's outbound token (created on first use) and the URL of its authorization flow. */
  async authorize(id: string): Promise<AuthorizeTokenReply> {
    const instance = await this.instance(id);
    if (instance.authType !== 'oauth' || !instance.clientAppId) throw BusError.conflict('Choose OAuth-based authentication with an outbound client app first (PATCH auth)');
    if (!instance.tokenId) {
      const token = await this.bus.call(Subjects.broker.token.create, {
        name: `p2pi-${instance.name}-${randomUUID().slice(0, 4)}`, providerId: instance.clientAppId, baseUrl: instance.baseUrl,
        // Marks it as acting on that instance, so only `<instance>:p2pi=…` permissions reach it (ADR 0016).
        platformInstance: instance.name,
      } satisfies CreateTokenCommand);
      await this.dataSource.getRepository(PlatformInstance).update({ id }, { tokenId: token.id });
      instance.tokenId = token.id;
    }
    return this.bus.call(Subjects.broker.token.authorize, { id: instance.tokenId });
  }

  /** Forgets the instance's OAuth token, revoking it at the instance (RFC 7009), and answers with the record as it now is. */
  async deauthorize(id: string): Promise<PlatformInstanceView> {
    const instance = await this.instance(id);
    if (!instance.tokenId) throw BusError.conflict('This instance holds no OAuth token');
    const tokenId = instance.tokenId;
    await this.bus.call(Subjects.broker.token.revoke, { id: tokenId });
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await manager.getRepository(PlatformInstance).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw BusError.notFound('Instance', id);
      if (current.token?.state === 'revoked') return current;
      const message = 'Deauthorized on this platform';
      current.token = { tokenId, state: 'revoked', expiresAt: null, scope: current.token?.scope ?? null, lastMessage: message, updatedAt: new Date().toISOString() };
      const saved = await manager.save(current);
      await this.outbox.record<InstanceAuthorizationEvent>(manager, Events.instanceDeauthorized, { instanceId: id, name: saved.name, tokenId, state: 'revoked', message });
      return saved;
    });
    void this.outbox.flush();
    return toView(updated);
  }
}

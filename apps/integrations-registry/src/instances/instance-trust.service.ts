import { Injectable } from '@nestjs/common';
import {
  BusError,
  Events,
  Subjects,
  type AuthorizeTokenReply,
  type ClientAppRequest,
  type CreateTokenCommand,
  type InstanceAuthorizationEvent,
  type InstanceDeletedReply,
  type PlatformInstanceView,
  type ProviderView,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { EventOutbox, Transactions } from '@tessera/persistence';
import { randomUUID } from 'node:crypto';
import type { PlatformInstance } from './platform-instance.entity.js';
import { PlatformInstanceStore } from './platform-instance.store.js';
import { PlatformInstancesService, toView } from './platform-instances.service.js';

/**
 * P2PI's OAuth side of a platform instance record. The record is the registry's; the client app (a provider) and the
 * token live in the outbound token broker, which this service drives over the bus.
 */
@Injectable()
export class InstanceTrustService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: PlatformInstanceStore,
    private readonly bus: BusClient,
    private readonly outbox: EventOutbox,
    private readonly instances: PlatformInstancesService,
  ) {}

  private async instance(id: string): Promise<PlatformInstance> {
    const instance = await this.store.get(id);
    if (!instance) throw BusError.notFound('Instance', id);
    return instance;
  }

  /** "Use OAuth-based authentication" must name an outbound client app that exists. */
  async assertClientAppExists(clientAppId: string): Promise<void> {
    await this.bus.call(Subjects.broker.provider.get, { id: clientAppId }).catch((error) => {
      if (error instanceof BusError && error.code === 'not_found')
        throw new BusError('validation_failed', 'The request has invalid fields', { 'auth.clientAppId': ['no outbound client app has this id'] });
      throw error;
    });
  }

  /**
   * The outbound client app: the credentials the other platform issued (checked at its token endpoint before they are
   * kept), its endpoints from its RFC 8414 metadata. The instance has one client app: new credentials update it in
   * place, and the token held so far, issued to the old credentials, is revoked and forgotten.
   */
  async createClientApp(id: string, credentials: ClientAppRequest): Promise<ProviderView> {
    const instance = await this.instance(id);
    const app = await this.bus.call(Subjects.broker.provider.discover, {
      name: `p2pi-${instance.name}-app-${randomUUID().slice(0, 4)}`,
      issuer: instance.baseUrl,
      ...credentials,
      ...(instance.clientAppId ? { replaceId: instance.clientAppId } : {}),
    });
    const dropped = instance.tokenId;
    await this.transactions.run(async (manager) => {
      const current = await this.store.lockForChange(manager, id);
      if (!current) throw BusError.notFound('Instance', id);
      current.clientAppId = app.id;
      current.tokenId = null;
      current.token = null;
      await this.store.save(manager, current);
    });
    if (dropped) await this.forgetToken(dropped);
    return app;
  }

  /**
   * An outbound token the record no longer holds: revoked at the instance (RFC 7009, the broker's revoke) and deleted,
   * rather than left behind in the broker still able to reach the instance. A token already gone is fine.
   */
  async forgetToken(tokenId: string): Promise<boolean> {
    const gone = (error: unknown) => {
      if (!(error instanceof BusError && error.code === 'not_found')) throw error;
      return false;
    };
    const revoked = await this.bus.call(Subjects.broker.token.revoke, { id: tokenId }).then(() => true, gone);
    await this.bus.call(Subjects.broker.token.delete, { id: tokenId }).catch(gone);
    return revoked;
  }

  /**
   * DELETE /admin/instances/:id: the OAuth token is revoked at the instance and deleted, the client app deleted, then
   * the record (with its stored password) removed. The integration the instance uses to call this platform is not
   * touched: it is an integration like any other, deleted under /admin/integrations.
   */
  async remove(id: string): Promise<InstanceDeletedReply> {
    const instance = await this.instance(id);
    const tokenRevoked = instance.tokenId ? await this.forgetToken(instance.tokenId) : false;
    let clientAppDeleted = false;
    if (instance.clientAppId) {
      // A client app that other outbound tokens still use (an admin's own) stays; a missing one is already gone.
      clientAppDeleted = await this.bus.call(Subjects.broker.provider.delete, { id: instance.clientAppId }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof BusError && (error.code === 'not_found' || error.code === 'conflict')) return false;
          throw error;
        },
      );
    }
    await this.instances.delete(id);
    return { tokenRevoked, clientAppDeleted };
  }

  /** The "request" link: the instance's outbound token (created on first use) and the URL of its authorization flow. */
  async authorize(id: string): Promise<AuthorizeTokenReply> {
    const instance = await this.instance(id);
    if (instance.authType !== 'oauth' || !instance.clientAppId)
      throw BusError.conflict('Choose OAuth-based authentication with an outbound client app first (PATCH auth)');
    if (!instance.tokenId) {
      const token = await this.bus.call(Subjects.broker.token.create, {
        name: `p2pi-${instance.name}-${randomUUID().slice(0, 4)}`,
        providerId: instance.clientAppId,
        baseUrl: instance.baseUrl,
        // Marks it as acting on that instance, so only `<instance>:p2pi=…` permissions reach it (ADR 0016).
        platformInstance: instance.name,
      } satisfies CreateTokenCommand);
      await this.store.setTokenId(id, token.id);
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
    const updated = await this.transactions.run(async (manager) => {
      const current = await this.store.lockForChange(manager, id);
      if (!current) throw BusError.notFound('Instance', id);
      if (current.token?.state === 'revoked') return current;
      const message = 'Deauthorized on this platform';
      current.token = {
        tokenId,
        state: 'revoked',
        expiresAt: null,
        scope: current.token?.scope ?? null,
        lastMessage: message,
        updatedAt: new Date().toISOString(),
      };
      const saved = await this.store.save(manager, current);
      await this.outbox.record<InstanceAuthorizationEvent>(manager, Events.instanceDeauthorized, {
        instanceId: id,
        name: saved.name,
        tokenId,
        state: 'revoked',
        message,
      });
      return saved;
    });
    void this.outbox.flush();
    return toView(updated);
  }
}

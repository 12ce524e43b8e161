import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  INSTANCE_GRANT_TYPES,
  Events,
  type InstanceAuthView,
  type InstanceConnection,
  type InstanceDeletedEvent,
  type InstanceRegisteredEvent,
  type InstanceUpdatedEvent,
  type InstanceClientAuthMethod,
  type IntegrationWithSecret,
  type PlatformInstancePage,
  type PlatformInstanceView,
  type RegisterInstanceRequest,
  type UpdateInstanceCommand,
} from '@tessera/contracts';
import { SecretBox } from '@tessera/crypto';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, isUniqueViolation, Transactions } from '@tessera/persistence';
import type { Egress } from '@tessera/egress';
import { CLOCK, EGRESS, ENCRYPTION_KEY } from '@tessera/runtime';
import { IntegrationsService } from '../integrations/integrations.service.js';
import { callerClientJwksUri } from './caller-client-jwks.js';
import type { PlatformInstance } from './platform-instance.entity.js';
import { PlatformInstanceStore } from './platform-instance.store.js';

/** The instance's token as shown: one past its expiry reads `expired`, whatever the last event said. */
function tokenView(token: PlatformInstance['token'], now: Date): PlatformInstance['token'] {
  if (!token || token.state !== 'valid' || !token.expiresAt || Date.parse(token.expiresAt) > now.getTime()) return token;
  return { ...token, state: 'expired' };
}

export function toView(instance: PlatformInstance, now = new Date()): PlatformInstanceView {
  return {
    id: instance.id,
    name: instance.name,
    baseUrl: instance.baseUrl,
    auth: authView(instance),
    token: tokenView(instance.token, now),
    createdAt: instance.createdAt.toISOString(),
    updatedAt: instance.updatedAt.toISOString(),
  };
}

function authView(instance: PlatformInstance): InstanceAuthView {
  if (instance.authType === 'oauth') return { type: 'oauth', clientAppId: instance.clientAppId! };
  if (instance.authType === 'password') return { type: 'password', username: instance.username! };
  return { type: 'none' };
}

/** P6: each instance is an integration, with exactly these two permissions. */
function instancePermissions(name: string): string[] {
  return ['*:orgs=read', `${name}:users=read`];
}

const instanceTarget = (row: PlatformInstance) => ({ type: 'instance', id: row.id, name: row.name });

@Injectable()
export class PlatformInstancesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: PlatformInstanceStore,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ENCRYPTION_KEY) masterKey: Buffer,
    private readonly integrations: IntegrationsService,
    @Inject(EGRESS) private readonly egress: Egress,
  ) {
    this.box = new SecretBox(masterKey, 'instance-password');
  }

  private readonly box: SecretBox;

  async register(request: RegisterInstanceRequest): Promise<PlatformInstanceView> {
    let instance: PlatformInstance;
    try {
      instance = await this.transactions.run(async (manager) => {
        const saved = await this.store.insert(manager, { id: this.clock.uuid(), name: request.name, baseUrl: request.baseUrl.replace(/\/+$/, '') });
        await this.outbox.record<InstanceRegisteredEvent>(manager, Events.instanceRegistered, {
          instanceId: saved.id,
          name: saved.name,
          baseUrl: saved.baseUrl,
          registeredAt: saved.createdAt.toISOString(),
        });
        await this.audit.record(manager, { action: 'instance.register', target: instanceTarget(saved), after: toView(saved) });
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw BusError.conflict(`An instance named "${request.name}" is already registered`);
      }
      throw error;
    }
    void this.outbox.flush();
    return toView(instance);
  }

  /**
   * Changes the address or the authentication ("Use OAuth-based authentication", or a password stored encrypted).
   * Answers with the outbound token the record stopped holding, which the caller revokes and deletes in the broker.
   */
  async update(command: UpdateInstanceCommand): Promise<{ view: PlatformInstanceView; droppedTokenId: string | null }> {
    let droppedTokenId: string | null = null;
    const instance = await this.transactions.run(async (manager) => {
      const current = await this.store.lockForChange(manager, command.id);
      if (!current) throw BusError.notFound('Instance', command.id);
      const before = toView(current);
      const previousOrigin = new URL(current.baseUrl).origin;
      const previousTokenId = current.tokenId;
      if (command.baseUrl) current.baseUrl = command.baseUrl.replace(/\/+$/, '');
      // A stored secret never goes to an origin it was not entered for (ADR 0015): a new origin forgets the password
      // (unless this request brings one) and the OAuth token, which the old instance issued.
      if (new URL(current.baseUrl).origin !== previousOrigin) {
        current.tokenId = null;
        current.token = null;
        if (current.authType === 'password' && command.auth?.type !== 'password') {
          current.authType = 'none';
          current.username = null;
          current.passwordSealed = null;
        }
      }
      if (command.auth) {
        const clientAppId = command.auth.type === 'oauth' ? command.auth.clientAppId! : null;
        // Another client app (or no OAuth) means the token held so far no longer applies.
        if (clientAppId !== current.clientAppId) {
          current.tokenId = null;
          current.token = null;
        }
        current.authType = command.auth.type;
        current.clientAppId = clientAppId;
        current.username = command.auth.type === 'password' ? command.auth.username! : null;
        current.passwordSealed = command.auth.type === 'password' ? this.box.seal(command.auth.password!, current.id) : null;
      }
      if (previousTokenId && current.tokenId !== previousTokenId) droppedTokenId = previousTokenId;
      const saved = await this.store.save(manager, current);
      await this.outbox.record<InstanceUpdatedEvent>(manager, Events.instanceUpdated, {
        instanceId: saved.id,
        name: saved.name,
        baseUrl: saved.baseUrl,
        auth: authView(saved),
      });
      await this.audit.record(manager, {
        action: 'instance.update',
        target: instanceTarget(saved),
        before,
        after: toView(saved),
        ...(command.auth?.type === 'password' ? { detail: { passwordChanged: true } } : {}),
      });
      return saved;
    });
    void this.outbox.flush();
    return { view: toView(instance), droppedTokenId };
  }

  /** Removes the record and tells the services that keep a copy of it; the caller has dealt with the broker's side. */
  async delete(id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const current = await this.store.lockForChange(manager, id);
      if (!current) throw BusError.notFound('Instance', id);
      await this.store.delete(manager, id);
      await this.outbox.record<InstanceDeletedEvent>(manager, Events.instanceDeleted, { instanceId: id, name: current.name });
    });
    void this.outbox.flush();
  }

  /**
   * Creates on this platform the integration the instance uses to call it, and returns its application.conf block.
   * With private_key_jwt it has no secret: the instance signs with the keys it publishes, found through its metadata.
   */
  async createIntegration(id: string, method: InstanceClientAuthMethod = 'client_secret_basic'): Promise<IntegrationWithSecret> {
    const instance = await this.store.get(id);
    if (!instance) throw BusError.notFound('Instance', id);
    const authentication =
      method === 'private_key_jwt' ? { tokenEndpointAuthMethod: method, jwksUri: await callerClientJwksUri(instance.baseUrl, this.egress) } : {};
    return this.integrations.create({
      name: `Platform instance ${instance.name}`,
      permissions: instancePermissions(instance.name),
      redirectUris: [`${instance.baseUrl}/oauth/callback`],
      // The point of P2PI is the other admin's consent: client_credentials would get the same scope without it.
      grantTypes: INSTANCE_GRANT_TYPES,
      ...authentication,
    });
  }

  /** How to call an instance, by name (the gateway's instance proxy); the password decrypted, over request/reply only. */
  async connection(name: string): Promise<InstanceConnection> {
    const instance = await this.store.byName(name);
    if (!instance) throw BusError.notFound('Instance', name);
    return {
      id: instance.id,
      name: instance.name,
      baseUrl: instance.baseUrl,
      auth: authView(instance),
      tokenId: instance.tokenId,
      ...(instance.authType === 'password' && instance.passwordSealed ? { password: this.box.open(instance.passwordSealed, instance.id) } : {}),
    };
  }

  async get(id: string): Promise<PlatformInstanceView> {
    const instance = await this.store.get(id);
    if (!instance) throw BusError.notFound('Instance', id);
    return toView(instance);
  }

  async list(limit = 50, offset = 0): Promise<PlatformInstancePage> {
    const { items, total } = await this.store.page(limit, offset);
    const now = this.clock.now();
    return { items: items.map((instance) => toView(instance, now)), total, limit, offset };
  }
}

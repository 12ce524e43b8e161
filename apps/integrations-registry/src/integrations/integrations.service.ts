import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  DEFAULT_CLIENT_AUTHENTICATION_METHOD,
  DEFAULT_INTEGRATION_GRANT_TYPES,
  Events,
  Subjects,
  type EventEnvelope,
  type ClientCredentialsRecord,
  type CreateIntegrationCommand,
  type IntegrationChangedEvent,
  type IntegrationPage,
  type IntegrationView,
  type IntegrationWithSecret,
  type ListIntegrationsRequest,
  type RotateSecretCommand,
  type UpdateIntegrationCommand,
} from '@tessera/contracts';
import type { Clock } from '@tessera/observability';
import { AuditTrail, EventOutbox, isUniqueViolation, Transactions, type Transaction } from '@tessera/persistence';
import { BusClient } from '@tessera/messaging';
import { CLOCK, ISSUER } from '@tessera/runtime';
import { clientConfiguration } from './client-configuration.js';
import { ClientSecrets } from './client-secret.js';
import type { Integration } from './integration.entity.js';
import { IntegrationStore } from './integration.store.js';
import { checkChange, checkGrant, checkRotation } from './role-ceiling.js';

/** The integration settings whose column takes null: null there means none (no issuance quota). */
const NULLABLE_SETTINGS = new Set<string>(['clientCredentialsTokensPerHour', 'jwks', 'jwksUri']);

const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Auth0's default reuse interval is 0, Okta's rotation grace 30 s: 30 s covers a lost answer and a client's retry. */
const DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS = 30;

function toIntegrationView(row: Integration): IntegrationView {
  return {
    id: row.id,
    name: row.name,
    applicationId: row.applicationId,
    redirectUris: row.redirectUris,
    enabled: row.enabled,
    refreshTokensValidUntilRevoked: row.refreshTokensValidUntilRevoked,
    permissions: row.permissions,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    refreshTokenReuseIntervalSeconds: row.refreshTokenReuseIntervalSeconds,
    refreshTokensOnClientCredentials: row.refreshTokensOnClientCredentials,
    clientCredentialsTokensPerHour: row.clientCredentialsTokensPerHour,
    grantTypes: row.grantTypes,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    jwks: row.jwks,
    jwksUri: row.jwksUri,
    dpopBoundAccessTokens: row.dpopBoundAccessTokens,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The change as facts (ADR 0013): what consumers make of it — auth-server revoking tokens, say — is theirs to decide. */
function changeEvent(
  row: Integration,
  change: IntegrationChangedEvent['change'],
  facts: Pick<IntegrationChangedEvent, 'previous' | 'previousSecretValidUntil'> = {},
): IntegrationChangedEvent {
  return {
    integrationId: row.id,
    applicationId: row.applicationId,
    name: row.name,
    enabled: row.enabled,
    permissions: row.permissions,
    change,
    revision: row.revision,
    ...facts,
  };
}

type ClientAuthenticationSettings = Pick<Integration, 'tokenEndpointAuthMethod' | 'jwks' | 'jwksUri'>;

/**
 * The client authentication settings, checked as a whole: private_key_jwt needs exactly one key source (inline keys
 * or their URL; both would leave it unclear which is in force), and a secret method keeps neither.
 */
function clientAuthenticationOf(settings: Partial<ClientAuthenticationSettings>): ClientAuthenticationSettings {
  const method = settings.tokenEndpointAuthMethod ?? DEFAULT_CLIENT_AUTHENTICATION_METHOD;
  const jwks = settings.jwks ?? null;
  const jwksUri = settings.jwksUri ?? null;
  if (method !== 'private_key_jwt') {
    if (jwks || jwksUri)
      throw new BusError('validation_failed', 'The request has invalid fields', { tokenEndpointAuthMethod: ['jwks and jwksUri need private_key_jwt'] });
    return { tokenEndpointAuthMethod: method, jwks: null, jwksUri: null };
  }
  if (!jwks === !jwksUri)
    throw new BusError('validation_failed', 'The request has invalid fields', { jwks: ['private_key_jwt needs exactly one of jwks or jwksUri'] });
  return { tokenEndpointAuthMethod: method, jwks, jwksUri };
}

const integrationTarget = (row: Integration) => ({ type: 'integration', id: row.id, name: row.name });

@Injectable()
export class IntegrationsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: IntegrationStore,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditTrail,
    private readonly secrets: ClientSecrets,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ISSUER) private readonly issuer: string,
    private readonly bus: BusClient,
  ) {}

  /** `callerRole` (the gateway's caller) bounds what may be granted, kept within reach or re-keyed (role-ceiling.ts). */
  async create(request: CreateIntegrationCommand): Promise<IntegrationWithSecret> {
    checkGrant(request.callerRole, request.permissions);
    const authentication = clientAuthenticationOf(request);
    // private_key_jwt: the integration authenticates with its keys only, so no secret is made that could leak.
    const appSecret = authentication.tokenEndpointAuthMethod === 'private_key_jwt' ? undefined : this.secrets.generateSecret();
    const row = await this.write(async (manager) => {
      const saved = await this.store.insert(manager, {
        id: this.clock.uuid(),
        name: request.name,
        applicationId: request.applicationId ?? this.secrets.generateApplicationId(),
        secretHash: appSecret === undefined ? null : this.secrets.hash(appSecret),
        previousSecretHash: null,
        previousSecretValidUntil: null,
        redirectUris: request.redirectUris ?? [],
        enabled: request.enabled ?? true,
        refreshTokensValidUntilRevoked: request.refreshTokensValidUntilRevoked ?? false,
        permissions: [...new Set(request.permissions)],
        accessTokenTtlSeconds: request.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
        refreshTokenReuseIntervalSeconds: request.refreshTokenReuseIntervalSeconds ?? DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS,
        revision: 1,
        refreshTokensOnClientCredentials: request.refreshTokensOnClientCredentials ?? true,
        clientCredentialsTokensPerHour: request.clientCredentialsTokensPerHour ?? null,
        grantTypes: request.grantTypes ?? DEFAULT_INTEGRATION_GRANT_TYPES,
        ...authentication,
        dpopBoundAccessTokens: request.dpopBoundAccessTokens ?? false,
      });
      await this.audit.record(manager, { action: 'integration.create', target: integrationTarget(saved), after: toIntegrationView(saved) });
      return { row: saved, event: await this.outbox.record(manager, Events.integrationCreated, changeEvent(saved, 'created')) };
    }, request.name);
    return this.withSecret(row, appSecret);
  }

  async get(id: string): Promise<IntegrationView> {
    const row = await this.store.get(id);
    if (!row) throw BusError.notFound('Integration', id);
    return toIntegrationView(row);
  }

  async list(request: ListIntegrationsRequest): Promise<IntegrationPage> {
    const limit = request.limit ?? 50;
    const offset = request.offset ?? 0;
    const { items, total } = await this.store.page({ name: request.name, enabled: request.enabled, limit, offset });
    return { items: items.map(toIntegrationView), total, limit, offset };
  }

  /** The event says what the integration was before: auth-server revokes what a disabling or a narrowing takes away. */
  async update(command: UpdateIntegrationCommand): Promise<IntegrationView> {
    const row = await this.write(async (manager) => {
      const current = await this.lockForChange(manager, command.id);
      const before = toIntegrationView(current);
      const previous = { enabled: current.enabled, permissions: [...current.permissions] };
      const { id: _id, callerRole, ...given } = command;
      // `@IsOptional()` lets null through: for a NOT NULL setting null means "not given" (it once reached the database
      // as a 500); for a nullable one it clears the setting (a quota lifted).
      const changes = Object.fromEntries(Object.entries(given).filter(([key, value]) => value !== null || NULLABLE_SETTINGS.has(key))) as typeof given;
      if (changes.permissions) changes.permissions = [...new Set(changes.permissions)];
      // Decided on the locked row, so a concurrent change cannot slip a permission past the check.
      checkChange(callerRole, current, changes);
      // A move to a secret method drops the keys it no longer uses; keys sent with it are a mistake to point out.
      const leavesKeys = changes.tokenEndpointAuthMethod !== undefined && changes.tokenEndpointAuthMethod !== 'private_key_jwt';
      const authentication = clientAuthenticationOf(leavesKeys ? changes : { ...current, ...changes });
      // Moving to private_key_jwt drops the secrets: from then on only a signed assertion authenticates the client.
      if (authentication.tokenEndpointAuthMethod === 'private_key_jwt')
        Object.assign(changes, { secretHash: null, previousSecretHash: null, previousSecretValidUntil: null });
      Object.assign(changes, authentication);
      const saved = await this.store.save(manager, Object.assign(current, changes, { revision: current.revision + 1 }));
      await this.audit.record(manager, { action: 'integration.update', target: integrationTarget(saved), before, after: toIntegrationView(saved) });
      return { row: saved, event: await this.outbox.record(manager, Events.integrationUpdated, changeEvent(saved, 'updated', { previous })) };
    }, command.name);
    return toIntegrationView(row);
  }

  async delete(id: string): Promise<void> {
    await this.write(async (manager) => {
      const current = await this.lockForChange(manager, id);
      await this.store.delete(manager, id);
      await this.audit.record(manager, { action: 'integration.delete', target: integrationTarget(current), before: toIntegrationView(current) });
      current.revision += 1;
      return { row: current, event: await this.outbox.record(manager, Events.integrationDeleted, changeEvent(current, 'deleted')) };
    });
  }

  /** A new secret, shown once; the old one keeps working for `graceSeconds` (default 0: immediately invalid). */
  async rotateSecret(command: RotateSecretCommand): Promise<IntegrationWithSecret> {
    const appSecret = this.secrets.generateSecret();
    const row = await this.write(async (manager) => {
      const current = await this.lockForChange(manager, command.id);
      checkRotation(command.callerRole, current);
      if (current.tokenEndpointAuthMethod === 'private_key_jwt')
        throw BusError.conflict('This integration authenticates with private_key_jwt and has no secret; rotate its keys in its JWKS instead');
      const grace = command.graceSeconds ?? 0;
      current.previousSecretHash = grace > 0 ? current.secretHash : null;
      current.previousSecretValidUntil = grace > 0 ? new Date(this.clock.now().getTime() + grace * 1000) : null;
      current.secretHash = this.secrets.hash(appSecret);
      current.revision += 1;
      const saved = await this.store.save(manager, current);
      // The secret itself never enters the log: only that it changed, and how long the old one still works.
      await this.audit.record(manager, {
        action: 'integration.rotate_secret',
        target: integrationTarget(saved),
        before: { appSecret: 'old' },
        after: { appSecret: 'new' },
        detail: { graceSeconds: grace },
      });
      const event = changeEvent(saved, 'secret_rotated', { previousSecretValidUntil: saved.previousSecretValidUntil?.toISOString() ?? null });
      return { row: saved, event: await this.outbox.record(manager, Events.integrationUpdated, event) };
    });
    return this.withSecret(row, appSecret);
  }

  /** For auth-server only: the keyed hashes of the secrets that currently authenticate this client. */
  async credentials(applicationId: string): Promise<ClientCredentialsRecord> {
    const row = await this.store.byApplicationId(applicationId);
    if (!row) throw BusError.notFound('Client', applicationId);
    const secretHashes: ClientCredentialsRecord['secretHashes'] = row.secretHash === null ? [] : [{ hash: row.secretHash, validUntil: null }];
    if (row.previousSecretHash && row.previousSecretValidUntil && row.previousSecretValidUntil > this.clock.now()) {
      secretHashes.push({ hash: row.previousSecretHash, validUntil: row.previousSecretValidUntil.toISOString() });
    }
    return {
      integrationId: row.id,
      applicationId: row.applicationId,
      name: row.name,
      secretHashes,
      enabled: row.enabled,
      permissions: row.permissions,
      redirectUris: row.redirectUris,
      refreshTokensValidUntilRevoked: row.refreshTokensValidUntilRevoked,
      accessTokenTtlSeconds: row.accessTokenTtlSeconds,
      refreshTokenReuseIntervalSeconds: row.refreshTokenReuseIntervalSeconds,
      revision: row.revision,
      refreshTokensOnClientCredentials: row.refreshTokensOnClientCredentials,
      clientCredentialsTokensPerHour: row.clientCredentialsTokensPerHour,
      grantTypes: row.grantTypes,
      tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
      jwks: row.jwks,
      jwksUri: row.jwksUri,
      dpopBoundAccessTokens: row.dpopBoundAccessTokens,
    };
  }

  /** Every permission granted to some integration, with how many integrations hold it. */
  permissionsInUse(): Promise<{ permission: string; integrations: number }[]> {
    return this.store.permissionsInUse();
  }

  private async lockForChange(tx: Transaction, id: string): Promise<Integration> {
    const row = await this.store.lockForChange(tx, id);
    if (!row) throw BusError.notFound('Integration', id);
    return row;
  }

  /**
   * Runs a change and its event in one transaction, relays the event, and answers only once auth-server has applied
   * the change (ADR 0013): from the moment the admin call returns, no replica issues a token under the old state.
   * A duplicate name or id is a 409.
   */
  private async write(
    work: (tx: Transaction) => Promise<{ row: Integration; event: EventEnvelope<IntegrationChangedEvent> }>,
    name?: string,
  ): Promise<Integration> {
    let result: { row: Integration; event: EventEnvelope<IntegrationChangedEvent> };
    try {
      result = await this.transactions.run(work);
    } catch (error) {
      if (isUniqueViolation(error, 'application_id')) throw BusError.conflict('That applicationId is already used by another integration');
      if (isUniqueViolation(error)) throw BusError.conflict(`An integration named "${name}" already exists`);
      throw error;
    }
    void this.outbox.flush();
    await this.bringIntoForce(result.event);
    return result.row;
  }

  /**
   * Hands the committed change to auth-server and waits for it to be applied. Nobody serving the subject means no
   * auth-server runs: none can issue, and one that starts has an empty cache, so the change is in force anyway. A
   * timeout is not: the admin gets a 503 and may repeat the call (the durable event applies it meanwhile).
   */
  private async bringIntoForce(event: EventEnvelope<IntegrationChangedEvent>): Promise<void> {
    try {
      await this.bus.call(Subjects.auth.client.applyChange, event);
    } catch (error) {
      // `reason` is set by the bus client when no reply came at all (not by an error auth-server answered with).
      const unanswered = error instanceof BusError && error.code === 'unavailable' ? error.details?.reason : undefined;
      if (unanswered === 'no_responders') return;
      if (unanswered) throw new BusError('unavailable', 'The change is saved but auth-server did not confirm it is in force; retry the call');
      throw error;
    }
  }

  private withSecret(row: Integration, appSecret: string | undefined): IntegrationWithSecret {
    if (appSecret === undefined) return toIntegrationView(row);
    return {
      ...toIntegrationView(row),
      appSecret,
      config: clientConfiguration(row.applicationId, appSecret, row.redirectUris[0] ?? '', this.issuer),
    };
  }
}

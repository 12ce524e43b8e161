import { Inject, Injectable } from '@nestjs/common';
import {
  BusError,
  type CreateWebhookRequest,
  type RotateWebhookSecretBody,
  type UpdateWebhookFields,
  type WebhookPage,
  type WebhookView,
  type WebhookWithSecret,
} from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import type { Clock } from '@tessera/observability';
import { AuditTrail, Transactions } from '@tessera/persistence';
import { CLOCK, EGRESS } from '@tessera/runtime';
import { BrokerSecrets } from '../secrets/broker-secrets.js';
import { newSigningKeyPair, newWebhookSecret } from './signing.js';
import { WebhookEndpointCache } from './webhook-endpoint-cache.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointStore } from './webhook-endpoint.store.js';
import { toWebhookView } from './webhook-view.js';

const DEFAULT_GRACE_SECONDS = 86_400;
const target = (endpoint: WebhookEndpoint) => ({ type: 'webhook', id: endpoint.id, name: endpoint.url });

/** Webhook endpoints: created, changed, re-keyed and removed by admins, each change audited in its transaction. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: WebhookEndpointStore,
    private readonly cache: WebhookEndpointCache,
    private readonly secrets: BrokerSecrets,
    private readonly audit: AuditTrail,
    @Inject(EGRESS) private readonly egress: Egress,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(request: CreateWebhookRequest): Promise<WebhookWithSecret> {
    await this.checkDestination(request.url);
    const now = this.clock.now();
    const id = this.clock.uuid();
    const secret = newWebhookSecret();
    const keys = request.ed25519 ? newSigningKeyPair() : undefined;
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id,
      url: request.url,
      eventTypes: request.eventTypes,
      description: request.description ?? null,
      enabled: request.enabled ?? true,
      disabledReason: request.enabled === false ? 'manual' : null,
      failingSince: null,
      secretSealed: this.secrets.seal(secret, id, 'secret'),
      previousSecretSealed: null,
      previousSecretUntil: null,
      signingKeySealed: keys ? this.secrets.seal(keys.privateKey, id, 'signingKey') : null,
      publicKey: keys?.publicKey ?? null,
      createdAt: now,
      updatedAt: now,
    } satisfies WebhookEndpoint);
    await this.transactions.run(async (tx) => {
      await this.store.save(tx, endpoint);
      await this.audit.record(tx, { action: 'webhook.create', target: target(endpoint), after: toWebhookView(endpoint, now) });
    });
    this.cache.changed();
    return { ...toWebhookView(endpoint, now), secret };
  }

  async list(limit = 50, offset = 0): Promise<WebhookPage> {
    const { items, total } = await this.store.page(limit, offset);
    const now = this.clock.now();
    return { items: items.map((e) => toWebhookView(e, now)), total, limit, offset };
  }

  async get(id: string): Promise<WebhookView> {
    return toWebhookView(await this.existing(id), this.clock.now());
  }

  async update(id: string, changes: UpdateWebhookFields): Promise<WebhookView> {
    if (changes.url !== undefined) await this.checkDestination(changes.url);
    const now = this.clock.now();
    const view = await this.transactions.run(async (tx) => {
      const endpoint = await this.store.lockForChange(tx, id);
      if (!endpoint) throw notFound();
      const before = toWebhookView(endpoint, now);
      if (changes.url !== undefined) endpoint.url = changes.url;
      if (changes.eventTypes !== undefined) endpoint.eventTypes = changes.eventTypes;
      if (changes.description !== undefined) endpoint.description = changes.description;
      if (changes.enabled !== undefined && changes.enabled !== endpoint.enabled) {
        endpoint.enabled = changes.enabled;
        // Turned back on, it starts a fresh streak; turned off by hand, that is the reason.
        endpoint.disabledReason = changes.enabled ? null : 'manual';
        endpoint.failingSince = null;
      }
      endpoint.updatedAt = now;
      await this.store.save(tx, endpoint);
      const after = toWebhookView(endpoint, now);
      await this.audit.record(tx, { action: 'webhook.update', target: target(endpoint), before, after });
      return after;
    });
    this.cache.changed();
    return view;
  }

  async delete(id: string): Promise<{ deleted: true }> {
    await this.transactions.run(async (tx) => {
      const endpoint = await this.store.lockForChange(tx, id);
      if (!endpoint) throw notFound();
      await this.store.delete(tx, id);
      await this.audit.record(tx, { action: 'webhook.delete', target: target(endpoint), before: toWebhookView(endpoint, this.clock.now()) });
    });
    this.cache.changed();
    return { deleted: true };
  }

  /** A new secret, shown once; the current one keeps signing beside it for the grace period, so receivers can switch. */
  async rotateSecret(id: string, { graceSeconds = DEFAULT_GRACE_SECONDS }: RotateWebhookSecretBody): Promise<WebhookWithSecret> {
    const now = this.clock.now();
    const secret = newWebhookSecret();
    const view = await this.transactions.run(async (tx) => {
      const endpoint = await this.store.lockForChange(tx, id);
      if (!endpoint) throw notFound();
      const current = this.secrets.open(endpoint.secretSealed, id, 'secret');
      endpoint.previousSecretSealed = graceSeconds > 0 ? this.secrets.seal(current, id, 'previousSecret') : null;
      endpoint.previousSecretUntil = graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null;
      endpoint.secretSealed = this.secrets.seal(secret, id, 'secret');
      endpoint.updatedAt = now;
      await this.store.save(tx, endpoint);
      const after = toWebhookView(endpoint, now);
      await this.audit.record(tx, { action: 'webhook.secret.rotate', target: target(endpoint), detail: { graceSeconds } });
      return after;
    });
    this.cache.changed();
    return { ...view, secret };
  }

  async existing(id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.store.get(id);
    if (!endpoint) throw notFound();
    return endpoint;
  }

  /** A URL the egress policy refuses would never receive anything: said at once, on the field. */
  private async checkDestination(url: string): Promise<void> {
    const refusal = await this.egress.refusalFor(url);
    if (refusal) throw new BusError('validation_failed', 'The request has invalid fields', { url: [`url: ${refusal}`] });
  }
}

function notFound(): BusError {
  return new BusError('not_found', 'No webhook endpoint has that id');
}

import { Module } from '@nestjs/common';
import { BrokerSecretsModule } from '../secrets/broker-secrets.js';
import { WebhookAttemptWriter } from './webhook-attempt-writer.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointCache } from './webhook-endpoint-cache.js';
import { SqlWebhookEndpointStore, WebhookEndpointStore } from './webhook-endpoint.store.js';
import { WebhookIntake } from './webhook-intake.js';
import { SqlWebhookMessageStore, WebhookMessageStore } from './webhook-message.store.js';
import { WebhookMessagesService } from './webhook-messages.service.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhookSigningKeys } from './webhook-signing-keys.js';
import { WebhooksHandler } from './webhooks.handler.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhook endpoints and the delivery of every owner's events to them (docs/decisions/0048). */
@Module({
  imports: [BrokerSecretsModule],
  controllers: [WebhooksHandler],
  providers: [
    WebhooksService,
    WebhookMessagesService,
    WebhookEndpointCache,
    WebhookDispatcher,
    WebhookAttemptWriter,
    WebhookIntake,
    WebhookSender,
    WebhookSigningKeys,
    WebhookMetrics,
    { provide: WebhookEndpointStore, useClass: SqlWebhookEndpointStore },
    { provide: WebhookMessageStore, useClass: SqlWebhookMessageStore },
  ],
})
export class WebhooksModule {}

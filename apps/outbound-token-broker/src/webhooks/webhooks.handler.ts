import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateWebhookRequest,
  ListWebhookMessagesRequest,
  ListWebhooksRequest,
  RecoverWebhookRequest,
  RotateWebhookSecretRequest,
  Subjects,
  UpdateWebhookRequest,
  WebhookIdRequest,
  WebhookMessageRequest,
} from '@tessera/contracts';
import { WebhookMessagesService } from './webhook-messages.service.js';
import { WebhooksService } from './webhooks.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class WebhooksHandler {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly messages: WebhookMessagesService,
  ) {}

  @MessagePattern(Subjects.broker.webhook.create)
  create(@Payload() request: CreateWebhookRequest) {
    return this.webhooks.create(request);
  }

  @MessagePattern(Subjects.broker.webhook.list)
  list(@Payload() { limit, offset }: ListWebhooksRequest) {
    return this.webhooks.list(limit, offset);
  }

  @MessagePattern(Subjects.broker.webhook.get)
  get(@Payload() { id }: WebhookIdRequest) {
    return this.webhooks.get(id);
  }

  @MessagePattern(Subjects.broker.webhook.update)
  update(@Payload() { id, ...changes }: UpdateWebhookRequest) {
    return this.webhooks.update(id, changes);
  }

  @MessagePattern(Subjects.broker.webhook.delete)
  delete(@Payload() { id }: WebhookIdRequest) {
    return this.webhooks.delete(id);
  }

  @MessagePattern(Subjects.broker.webhook.rotateSecret)
  rotateSecret(@Payload() { id, ...body }: RotateWebhookSecretRequest) {
    return this.webhooks.rotateSecret(id, body);
  }

  @MessagePattern(Subjects.broker.webhook.messages)
  messagesOf(@Payload() { id, ...query }: ListWebhookMessagesRequest) {
    return this.messages.list(id, query);
  }

  @MessagePattern(Subjects.broker.webhook.retry)
  retry(@Payload() { id, messageId }: WebhookMessageRequest) {
    return this.messages.retry(id, messageId);
  }

  @MessagePattern(Subjects.broker.webhook.recover)
  recover(@Payload() { id, since }: RecoverWebhookRequest) {
    return this.messages.recover(id, since);
  }

  @MessagePattern(Subjects.broker.webhook.test)
  test(@Payload() { id }: WebhookIdRequest) {
    return this.messages.test(id);
  }
}

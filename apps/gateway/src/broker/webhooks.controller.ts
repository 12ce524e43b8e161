import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  CreateWebhookRequest,
  ListWebhookMessagesQuery,
  ListWebhooksRequest,
  RecoverWebhookBody,
  RotateWebhookSecretBody,
  Subjects,
  UpdateWebhookFields,
  type WebhookMessagePage,
  type WebhookMessageView,
  type WebhookPage,
  type WebhookRecoverReply,
  type WebhookView,
  type WebhookWithSecret,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ADMIN, PermissionGuard, RequirePermission } from '../http/permission.guard.js';
import { Answers, Refuses } from '../openapi/decorators.js';

const webhookId = () =>
  new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ error: 'not_found', message: 'No webhook endpoint has that id' }) });

/**
 * Webhook endpoints (Standard Webhooks): /admin/webhooks. Admins only, reads included: an endpoint's URL and its
 * delivery log say where the platform's events go and what they held.
 */
@Controller('admin/webhooks')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class WebhooksController {
  constructor(private readonly bus: BusClient) {}

  @Answers(201, 'Create a webhook endpoint (its signing secret is shown in this answer only)')
  @Post()
  @HttpCode(201)
  create(@Body() body: CreateWebhookRequest): Promise<WebhookWithSecret> {
    return this.bus.call(Subjects.broker.webhook.create, body);
  }

  @Answers(200, 'List webhook endpoints')
  @Get()
  list(@Query() query: ListWebhooksRequest): Promise<WebhookPage> {
    return this.bus.call(Subjects.broker.webhook.list, query);
  }

  @Answers(200, 'Read a webhook endpoint')
  @Get(':id')
  get(@Param('id', webhookId()) id: string): Promise<WebhookView> {
    return this.bus.call(Subjects.broker.webhook.get, { id });
  }

  @Answers(200, 'Change a webhook endpoint')
  @Patch(':id')
  update(@Param('id', webhookId()) id: string, @Body() body: UpdateWebhookFields): Promise<WebhookView> {
    return this.bus.call(Subjects.broker.webhook.update, { ...body, id });
  }

  @Answers(204, 'Delete a webhook endpoint and its delivery log')
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', webhookId()) id: string): Promise<void> {
    await this.bus.call(Subjects.broker.webhook.delete, { id });
  }

  @Answers(200, 'Rotate the signing secret: the new one is shown once, the old one signs beside it for graceSeconds')
  @Post(':id/secret')
  @HttpCode(200)
  rotateSecret(@Param('id', webhookId()) id: string, @Body() body: RotateWebhookSecretBody): Promise<WebhookWithSecret> {
    return this.bus.call(Subjects.broker.webhook.rotateSecret, { ...body, id });
  }

  @Answers(200, "An endpoint's messages and their attempts, newest first")
  @Get(':id/messages')
  messages(@Param('id', webhookId()) id: string, @Query() query: ListWebhookMessagesQuery): Promise<WebhookMessagePage> {
    return this.bus.call(Subjects.broker.webhook.messages, { ...query, id });
  }

  @Answers(200, 'Send one message again now, with its original webhook-id (409 while an attempt of it is under way)')
  @Refuses(404, 409)
  @Post(':id/messages/:messageId/retry')
  @HttpCode(200)
  retry(@Param('id', webhookId()) id: string, @Param('messageId') messageId: string): Promise<WebhookMessageView> {
    return this.bus.call(Subjects.broker.webhook.retry, { id, messageId });
  }

  @Answers(200, 'Send again every message that failed since a time, with their original ids')
  @Post(':id/recover')
  @HttpCode(200)
  recover(@Param('id', webhookId()) id: string, @Body() body: RecoverWebhookBody): Promise<WebhookRecoverReply> {
    return this.bus.call(Subjects.broker.webhook.recover, { ...body, id });
  }

  @Answers(200, 'Send a test message to this endpoint')
  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', webhookId()) id: string): Promise<WebhookMessageView> {
    return this.bus.call(Subjects.broker.webhook.test, { id });
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ClientCredentialsRequest, CreateIntegrationRequest, IntegrationIdRequest, ListIntegrationsRequest, RotateSecretCommand, Subjects,
  UpdateIntegrationCommand, validateMessage,
} from '@tessera/contracts';
import { IntegrationsService } from './integrations.service.js';

@Controller()
export class IntegrationsHandler {
  constructor(private readonly integrations: IntegrationsService) {}

  @MessagePattern(Subjects.registry.integration.create)
  async create(@Payload() payload: unknown) {
    return this.integrations.create(await validateMessage(CreateIntegrationRequest, payload));
  }

  @MessagePattern(Subjects.registry.integration.list)
  async list(@Payload() payload: unknown) {
    return this.integrations.list(await validateMessage(ListIntegrationsRequest, payload ?? {}));
  }

  @MessagePattern(Subjects.registry.integration.get)
  async get(@Payload() payload: unknown) {
    return this.integrations.get((await validateMessage(IntegrationIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.registry.integration.update)
  async update(@Payload() payload: unknown) {
    return this.integrations.update(await validateMessage(UpdateIntegrationCommand, payload));
  }

  @MessagePattern(Subjects.registry.integration.delete)
  async delete(@Payload() payload: unknown) {
    await this.integrations.delete((await validateMessage(IntegrationIdRequest, payload)).id);
    return { deleted: true };
  }

  @MessagePattern(Subjects.registry.integration.rotateSecret)
  async rotateSecret(@Payload() payload: unknown) {
    return this.integrations.rotateSecret(await validateMessage(RotateSecretCommand, payload));
  }

  @MessagePattern(Subjects.registry.integration.credentials)
  async credentials(@Payload() payload: unknown) {
    return this.integrations.credentials((await validateMessage(ClientCredentialsRequest, payload)).applicationId);
  }

  @MessagePattern(Subjects.registry.permission.list)
  async permissions() {
    return { items: await this.integrations.permissionsInUse() };
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ClientCredentialsRequest,
  CreateIntegrationCommand,
  IntegrationIdRequest,
  ListIntegrationsRequest,
  RotateSecretCommand,
  Subjects,
  UpdateIntegrationCommand,
} from '@tessera/contracts';
import { IntegrationsService } from './integrations.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class IntegrationsHandler {
  constructor(private readonly integrations: IntegrationsService) {}

  @MessagePattern(Subjects.registry.integration.create)
  create(@Payload() request: CreateIntegrationCommand) {
    return this.integrations.create(request);
  }

  @MessagePattern(Subjects.registry.integration.list)
  list(@Payload() request: ListIntegrationsRequest) {
    return this.integrations.list(request);
  }

  @MessagePattern(Subjects.registry.integration.get)
  get(@Payload() { id }: IntegrationIdRequest) {
    return this.integrations.get(id);
  }

  @MessagePattern(Subjects.registry.integration.update)
  update(@Payload() command: UpdateIntegrationCommand) {
    return this.integrations.update(command);
  }

  @MessagePattern(Subjects.registry.integration.delete)
  async delete(@Payload() { id }: IntegrationIdRequest) {
    await this.integrations.delete(id);
    return { deleted: true };
  }

  @MessagePattern(Subjects.registry.integration.rotateSecret)
  rotateSecret(@Payload() command: RotateSecretCommand) {
    return this.integrations.rotateSecret(command);
  }

  @MessagePattern(Subjects.registry.integration.credentials)
  credentials(@Payload() { applicationId }: ClientCredentialsRequest) {
    return this.integrations.credentials(applicationId);
  }

  @MessagePattern(Subjects.registry.permission.list)
  async permissions() {
    return { items: await this.integrations.permissionsInUse() };
  }
}

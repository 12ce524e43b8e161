import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ApplyTemplateUpdateRequest,
  CreateProviderRequest,
  DiscoverProviderRequest,
  ImportProvidersRequest,
  ListRequest,
  ProviderIdRequest,
  Subjects,
  TestProviderRequest,
  UpdateProviderRequest,
} from '@tessera/contracts';
import { ProviderTestService } from './provider-test.service.js';
import { ProvidersService } from './providers.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class ProvidersHandler {
  constructor(
    private readonly providers: ProvidersService,
    private readonly tester: ProviderTestService,
  ) {}

  @MessagePattern(Subjects.broker.provider.create)
  create(@Payload() request: CreateProviderRequest) {
    return this.providers.create(request);
  }

  @MessagePattern(Subjects.broker.provider.import)
  import(@Payload() request: ImportProvidersRequest) {
    return this.providers.import(request);
  }

  @MessagePattern(Subjects.broker.provider.discover)
  discover(@Payload() request: DiscoverProviderRequest) {
    return this.providers.discover(request);
  }

  @MessagePattern(Subjects.broker.provider.list)
  list(@Payload() { limit, offset }: ListRequest) {
    return this.providers.list(limit, offset);
  }

  @MessagePattern(Subjects.broker.provider.get)
  get(@Payload() { id }: ProviderIdRequest) {
    return this.providers.get(id);
  }

  @MessagePattern(Subjects.broker.provider.update)
  update(@Payload() { id, ...changes }: UpdateProviderRequest) {
    return this.providers.update(id, changes);
  }

  @MessagePattern(Subjects.broker.provider.test)
  test(@Payload() { id, ...request }: TestProviderRequest) {
    return this.tester.test(id, request);
  }

  @MessagePattern(Subjects.broker.provider.applyTemplateUpdate)
  applyTemplateUpdate(@Payload() { id }: ApplyTemplateUpdateRequest) {
    return this.providers.applyTemplateUpdate(id);
  }

  @MessagePattern(Subjects.broker.provider.rotateSigningKey)
  rotateSigningKey(@Payload() { id }: ProviderIdRequest) {
    return this.providers.rotateSigningKey(id);
  }

  @MessagePattern(Subjects.broker.provider.jwks)
  jwks(@Payload() { id }: ProviderIdRequest) {
    return this.providers.jwks(id);
  }

  @MessagePattern(Subjects.broker.provider.delete)
  delete(@Payload() { id }: ProviderIdRequest) {
    return this.providers.delete(id);
  }
}

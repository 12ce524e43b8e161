import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateProviderRequest, DiscoverProviderRequest, ImportProvidersRequest, ListRequest, ProviderIdRequest, Subjects, TestProviderRequest, UpdateProviderRequest, validateMessage } from '@tessera/contracts';
import { ProviderTestService } from './provider-test.service.js';
import { ProvidersService } from './providers.service.js';

@Controller()
export class ProvidersHandler {
  constructor(private readonly providers: ProvidersService, private readonly tester: ProviderTestService) {}

  @MessagePattern(Subjects.broker.provider.create)
  async create(@Payload() payload: unknown) {
    return this.providers.create(await validateMessage(CreateProviderRequest, payload));
  }

  @MessagePattern(Subjects.broker.provider.import)
  async import(@Payload() payload: unknown) {
    return this.providers.import(await validateMessage(ImportProvidersRequest, payload));
  }

  @MessagePattern(Subjects.broker.provider.discover)
  async discover(@Payload() payload: unknown) {
    return this.providers.discover(await validateMessage(DiscoverProviderRequest, payload));
  }

  @MessagePattern(Subjects.broker.provider.list)
  async list(@Payload() payload: unknown) {
    const { limit, offset } = await validateMessage(ListRequest, payload ?? {});
    return this.providers.list(limit, offset);
  }

  @MessagePattern(Subjects.broker.provider.get)
  async get(@Payload() payload: unknown) {
    return this.providers.get((await validateMessage(ProviderIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.broker.provider.update)
  async update(@Payload() payload: unknown) {
    const { id, ...changes } = await validateMessage(UpdateProviderRequest, payload);
    return this.providers.update(id, changes);
  }

  @MessagePattern(Subjects.broker.provider.test)
  async test(@Payload() payload: unknown) {
    const { id, ...request } = await validateMessage(TestProviderRequest, payload);
    return this.tester.test(id, request);
  }

  @MessagePattern(Subjects.broker.provider.delete)
  async delete(@Payload() payload: unknown) {
    return this.providers.delete((await validateMessage(ProviderIdRequest, payload)).id);
  }
}

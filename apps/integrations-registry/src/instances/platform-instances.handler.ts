import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { FindInstanceRequest, GetInstanceRequest, ListInstancesRequest, RegisterInstanceRequest, Subjects, UpdateInstanceCommand, validateMessage } from '@tessera/contracts';
import { PlatformInstancesService } from './platform-instances.service.js';

@Controller()
export class PlatformInstancesHandler {
  constructor(private readonly instances: PlatformInstancesService) {}

  @MessagePattern(Subjects.registry.instance.register)
  async register(@Payload() payload: unknown) {
    return this.instances.register(await validateMessage(RegisterInstanceRequest, payload));
  }

  @MessagePattern(Subjects.registry.instance.get)
  async get(@Payload() payload: unknown) {
    return this.instances.get((await validateMessage(GetInstanceRequest, payload)).id);
  }

  @MessagePattern(Subjects.registry.instance.update)
  async update(@Payload() payload: unknown) {
    return this.instances.update(await validateMessage(UpdateInstanceCommand, payload));
  }

  @MessagePattern(Subjects.registry.instance.createIntegration)
  async createIntegration(@Payload() payload: unknown) {
    return this.instances.createIntegration((await validateMessage(GetInstanceRequest, payload)).id);
  }

  @MessagePattern(Subjects.registry.instance.connection)
  async connection(@Payload() payload: unknown) {
    return this.instances.connection((await validateMessage(FindInstanceRequest, payload)).name);
  }

  @MessagePattern(Subjects.registry.instance.list)
  async list(@Payload() payload: unknown) {
    const { limit, offset } = await validateMessage(ListInstancesRequest, payload ?? {});
    return this.instances.list(limit, offset);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateClientAppCommand, FindInstanceRequest, GetInstanceRequest, ListInstancesRequest, RegisterInstanceRequest, Subjects, UpdateInstanceCommand, validateMessage } from '@tessera/contracts';
import { InstanceTrustService } from './instance-trust.service.js';
import { PlatformInstancesService } from './platform-instances.service.js';

@Controller()
export class PlatformInstancesHandler {
  constructor(private readonly instances: PlatformInstancesService, private readonly trust: InstanceTrustService) {}

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
    const command = await validateMessage(UpdateInstanceCommand, payload);
    if (command.auth?.type === 'oauth') await this.trust.assertClientAppExists(command.auth.clientAppId!);
    const { view, droppedTokenId } = await this.instances.update(command);
    // A token for an address the instance no longer has, or for a client app it no longer uses: ended, not orphaned.
    if (droppedTokenId) await this.trust.forgetToken(droppedTokenId);
    return view;
  }

  @MessagePattern(Subjects.registry.instance.delete)
  async delete(@Payload() payload: unknown) {
    return this.trust.remove((await validateMessage(GetInstanceRequest, payload)).id);
  }

  @MessagePattern(Subjects.registry.instance.createClientApp)
  async createClientApp(@Payload() payload: unknown) {
    const { id, ...credentials } = await validateMessage(CreateClientAppCommand, payload);
    return this.trust.createClientApp(id, credentials);
  }

  @MessagePattern(Subjects.registry.instance.authorize)
  async authorize(@Payload() payload: unknown) {
    return this.trust.authorize((await validateMessage(GetInstanceRequest, payload)).id);
  }

  @MessagePattern(Subjects.registry.instance.deauthorize)
  async deauthorize(@Payload() payload: unknown) {
    return this.trust.deauthorize((await validateMessage(GetInstanceRequest, payload)).id);
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

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateClientAppCommand,
  CreateInstanceIntegrationCommand,
  FindInstanceRequest,
  GetInstanceRequest,
  ListInstancesRequest,
  RegisterInstanceRequest,
  Subjects,
  UpdateInstanceCommand,
} from '@tessera/contracts';
import { InstanceTrustService } from './instance-trust.service.js';
import { PlatformInstancesService } from './platform-instances.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class PlatformInstancesHandler {
  constructor(
    private readonly instances: PlatformInstancesService,
    private readonly trust: InstanceTrustService,
  ) {}

  @MessagePattern(Subjects.registry.instance.register)
  register(@Payload() request: RegisterInstanceRequest) {
    return this.instances.register(request);
  }

  @MessagePattern(Subjects.registry.instance.get)
  get(@Payload() { id }: GetInstanceRequest) {
    return this.instances.get(id);
  }

  @MessagePattern(Subjects.registry.instance.update)
  async update(@Payload() command: UpdateInstanceCommand) {
    if (command.auth?.type === 'oauth') await this.trust.assertClientAppExists(command.auth.clientAppId!);
    const { view, droppedTokenId } = await this.instances.update(command);
    // A token for an address the instance no longer has, or for a client app it no longer uses: ended, not orphaned.
    if (droppedTokenId) await this.trust.forgetToken(droppedTokenId);
    return view;
  }

  @MessagePattern(Subjects.registry.instance.delete)
  delete(@Payload() { id }: GetInstanceRequest) {
    return this.trust.remove(id);
  }

  @MessagePattern(Subjects.registry.instance.createClientApp)
  createClientApp(@Payload() { id, ...credentials }: CreateClientAppCommand) {
    return this.trust.createClientApp(id, credentials);
  }

  @MessagePattern(Subjects.registry.instance.authorize)
  authorize(@Payload() { id }: GetInstanceRequest) {
    return this.trust.authorize(id);
  }

  @MessagePattern(Subjects.registry.instance.deauthorize)
  deauthorize(@Payload() { id }: GetInstanceRequest) {
    return this.trust.deauthorize(id);
  }

  @MessagePattern(Subjects.registry.instance.createIntegration)
  createIntegration(@Payload() { id, tokenEndpointAuthMethod }: CreateInstanceIntegrationCommand) {
    return this.instances.createIntegration(id, tokenEndpointAuthMethod);
  }

  @MessagePattern(Subjects.registry.instance.connection)
  connection(@Payload() { name }: FindInstanceRequest) {
    return this.instances.connection(name);
  }

  @MessagePattern(Subjects.registry.instance.list)
  list(@Payload() { limit, offset }: ListInstancesRequest) {
    return this.instances.list(limit, offset);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RotateClientKeyRequest, SignClientAssertionRequest, Subjects } from '@tessera/contracts';
import { PlatformClientKeysService } from './platform-client-keys.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class PlatformClientKeysHandler {
  constructor(private readonly keys: PlatformClientKeysService) {}

  @MessagePattern(Subjects.registry.clientKey.list)
  list() {
    return this.keys.list();
  }

  @MessagePattern(Subjects.registry.clientKey.rotate)
  rotate(@Payload() { activateAfterSeconds }: RotateClientKeyRequest) {
    return this.keys.rotate(activateAfterSeconds);
  }

  @MessagePattern(Subjects.registry.clientKey.jwks)
  jwks() {
    return this.keys.jwks();
  }

  @MessagePattern(Subjects.registry.clientKey.sign)
  sign(@Payload() request: SignClientAssertionRequest) {
    return this.keys.sign(request);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccessTokenRequest,
  AuthorizationCallbackRequest,
  BusError,
  CreateTokenCommand,
  ListTokensRequest,
  Subjects,
  TokenIdRequest,
  UpdateTokenRequest,
} from '@tessera/contracts';
import { AuthorizationService } from './authorization.service.js';
import { TokenAccessService } from './token-access.service.js';
import { TokensService } from './tokens.service.js';

/** Payloads arrive validated as their contracts class (MessageValidationPipe). */
@Controller()
export class TokensHandler {
  constructor(
    private readonly tokens: TokensService,
    private readonly authorization: AuthorizationService,
    private readonly access: TokenAccessService,
  ) {}

  @MessagePattern(Subjects.broker.token.create)
  create(@Payload() command: CreateTokenCommand) {
    return this.tokens.create(command);
  }

  @MessagePattern(Subjects.broker.token.list)
  list(@Payload() { limit, offset, state }: ListTokensRequest) {
    return this.tokens.list(limit, offset, state);
  }

  @MessagePattern(Subjects.broker.token.get)
  get(@Payload() { id }: TokenIdRequest) {
    return this.tokens.get(id);
  }

  @MessagePattern(Subjects.broker.token.update)
  update(@Payload() { id, callerRole, ...changes }: UpdateTokenRequest) {
    return this.tokens.update(id, changes, callerRole);
  }

  @MessagePattern(Subjects.broker.token.delete)
  delete(@Payload() { id }: TokenIdRequest) {
    return this.tokens.delete(id);
  }

  @MessagePattern(Subjects.broker.token.authorize)
  authorize(@Payload() { id }: TokenIdRequest) {
    return this.authorization.authorize(id);
  }

  @MessagePattern(Subjects.broker.token.callback)
  callback(@Payload() request: AuthorizationCallbackRequest) {
    return this.authorization.callback(request);
  }

  @MessagePattern(Subjects.broker.token.refresh)
  refresh(@Payload() { id }: TokenIdRequest) {
    return this.access.refreshNow(id);
  }

  @MessagePattern(Subjects.broker.token.revoke)
  revoke(@Payload() { id }: TokenIdRequest) {
    return this.access.revoke(id);
  }

  @MessagePattern(Subjects.broker.token.access)
  accessToken(@Payload() { name, id, rejectedTokenHash, scope, use }: AccessTokenRequest) {
    // Both would leave it unclear which token is meant when they disagree.
    if (name !== undefined && id !== undefined)
      throw new BusError('validation_failed', 'The request has invalid fields', { id: ["give the token's name or its id, not both"] });
    return this.access.access(id !== undefined ? { id } : { name: name! }, rejectedTokenHash, scope === undefined ? undefined : { scope, use: use ?? 'read' });
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AccessTokenRequest, AuthorizationCallbackRequest, BusError, CreateTokenCommand, ListTokensRequest, Subjects, TokenIdRequest, UpdateTokenRequest, validateMessage,
} from '@tessera/contracts';
import { AuthorizationService } from './authorization.service.js';
import { TokenAccessService } from './token-access.service.js';
import { TokensService } from './tokens.service.js';

@Controller()
export class TokensHandler {
  constructor(
    private readonly tokens: TokensService,
    private readonly authorization: AuthorizationService,
    private readonly access: TokenAccessService,
  ) {}

  @MessagePattern(Subjects.broker.token.create)
  async create(@Payload() payload: unknown) {
    return this.tokens.create(await validateMessage(CreateTokenCommand, payload));
  }

  @MessagePattern(Subjects.broker.token.list)
  async list(@Payload() payload: unknown) {
    const { limit, offset, state } = await validateMessage(ListTokensRequest, payload ?? {});
    return this.tokens.list(limit, offset, state);
  }

  @MessagePattern(Subjects.broker.token.get)
  async get(@Payload() payload: unknown) {
    return this.tokens.get((await validateMessage(TokenIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.broker.token.update)
  async update(@Payload() payload: unknown) {
    const { id, ...changes } = await validateMessage(UpdateTokenRequest, payload);
    return this.tokens.update(id, changes);
  }

  @MessagePattern(Subjects.broker.token.delete)
  async delete(@Payload() payload: unknown) {
    return this.tokens.delete((await validateMessage(TokenIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.broker.token.authorize)
  async authorize(@Payload() payload: unknown) {
    return this.authorization.authorize((await validateMessage(TokenIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.broker.token.callback)
  async callback(@Payload() payload: unknown) {
    return this.authorization.callback(await validateMessage(AuthorizationCallbackRequest, payload));
  }

  @MessagePattern(Subjects.broker.token.refresh)
  async refresh(@Payload() payload: unknown) {
    return this.access.refreshNow((await validateMessage(TokenIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.broker.token.revoke)
  async revoke(@Payload() payload: unknown) {
    return this.access.revoke((await validateMessage(TokenIdRequest, payload)).id);
  }

  @MessagePattern(Subjects.broker.token.access)
  async accessToken(@Payload() payload: unknown) {
    const { name, id, rejectedTokenHash, scope, use } = await validateMessage(AccessTokenRequest, payload);
    // Both would leave it unclear which token is meant when they disagree.
    if (name !== undefined && id !== undefined) throw new BusError('validation_failed', 'The request has invalid fields', { id: ['give the token\'s name or its id, not both'] });
    return this.access.access(id !== undefined ? { id } : { name: name! }, rejectedTokenHash, scope === undefined ? undefined : { scope, use: use ?? 'read' });
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AdminLoginCommand,
  AdminLogoutRequest,
  AuthorizationDecision,
  AuthorizationRequest,
  ChangeAdminPasswordCommand,
  IntrospectionRequest,
  ListFamiliesRequest,
  RevokeAllFamiliesRequest,
  RevokeFamilyRequest,
  Subjects,
  TokenRequest,
} from '@tessera/contracts';
import { AdminAccountsService } from './admin/admin-accounts.service.js';
import { AuthorizationService } from './authorization/authorization.service.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { FamiliesService } from './tokens/families.service.js';
import { TokenIntrospectionService } from './tokens/token-introspection.service.js';
import { TokenService } from './tokens/token.service.js';

/**
 * Payloads arrive validated as their contracts class (MessageValidationPipe); the OAuth parameters as a flat map of
 * strings (the gateway refuses repeated or non-string fields), judged by the services.
 */
@Controller()
export class AuthHandler {
  constructor(
    private readonly tokens: TokenService,
    private readonly introspection: TokenIntrospectionService,
    private readonly keys: SigningKeysService,
    private readonly admins: AdminAccountsService,
    private readonly authorization: AuthorizationService,
    private readonly families: FamiliesService,
  ) {}

  @MessagePattern(Subjects.auth.token.issue)
  issue(@Payload() request: TokenRequest) {
    return this.tokens.issue(request);
  }

  @MessagePattern(Subjects.auth.token.introspect)
  introspect(@Payload() request: IntrospectionRequest) {
    return this.introspection.introspect(request);
  }

  @MessagePattern(Subjects.auth.token.revoke)
  async revoke(@Payload() request: IntrospectionRequest) {
    await this.introspection.revoke(request);
    return {};
  }

  @MessagePattern(Subjects.auth.jwks.get)
  jwks() {
    return this.keys.jwks();
  }

  @MessagePattern(Subjects.auth.admin.login)
  login(@Payload() command: AdminLoginCommand) {
    return this.admins.login(command);
  }

  @MessagePattern(Subjects.auth.admin.changePassword)
  async changePassword(@Payload() command: ChangeAdminPasswordCommand) {
    await this.admins.changePassword(command);
    return { changed: true };
  }

  @MessagePattern(Subjects.auth.admin.logout)
  async logout(@Payload() { jti, clientId, exp, sessionId, subject }: AdminLogoutRequest) {
    await this.admins.logout({ jti, client_id: clientId, exp, iat: 0, fid: sessionId, sub: subject });
    return { revoked: true };
  }

  @MessagePattern(Subjects.auth.authorization.prompt)
  prompt(@Payload() { params }: AuthorizationRequest) {
    return this.authorization.prompt(params);
  }

  @MessagePattern(Subjects.auth.authorization.decide)
  decide(@Payload() decision: AuthorizationDecision) {
    return this.authorization.decide(decision);
  }

  @MessagePattern(Subjects.auth.family.list)
  listFamilies(@Payload() { integrationId, limit, cursor }: ListFamiliesRequest) {
    return this.families.list(integrationId, limit, cursor);
  }

  @MessagePattern(Subjects.auth.family.revoke)
  async revokeFamily(@Payload() { integrationId, familyId }: RevokeFamilyRequest) {
    await this.families.revoke(integrationId, familyId);
    return { revoked: true };
  }

  @MessagePattern(Subjects.auth.family.revokeAll)
  async revokeAllFamilies(@Payload() { clientId, integrationId }: RevokeAllFamiliesRequest) {
    await this.families.revokeAll(clientId, integrationId);
    return { revoked: true };
  }
}

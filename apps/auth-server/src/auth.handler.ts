import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AdminLoginRequest, AdminLogoutRequest, BusError, ChangeAdminPasswordRequest, ListFamiliesRequest, RevokeAllFamiliesRequest, RevokeFamilyRequest, Subjects, validateMessage,
  type AuthorizationDecision, type IntrospectionRequest, type RevocationRequest, type TokenRequest,
} from '@tessera/contracts';
import { AdminAccountsService } from './admin/admin-accounts.service.js';
import { AuthorizationService } from './authorization/authorization.service.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { FamiliesService } from './tokens/families.service.js';
import { TokenIntrospectionService } from './tokens/token-introspection.service.js';
import { TokenService } from './tokens/token.service.js';

type StringMap = Record<string, string>;

/** The OAuth parameters arrive as a flat map of strings (the gateway refuses repeated or non-string fields). */
function stringMap(value: unknown, field: string): StringMap {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw BusError.oauth('invalid_request', `${field} must be a map of strings`);
  }
  return value as StringMap;
}

function oauthMessage<T extends { client?: unknown; address?: unknown }>(payload: unknown): T {
  const message = (payload ?? {}) as T;
  const client = message.client as TokenRequest['client'] | undefined;
  if (!client || !['client_secret_basic', 'client_secret_post', 'none'].includes(client.method)) throw BusError.oauth('invalid_request', 'client authentication is malformed');
  if (typeof message.address !== 'string') throw BusError.oauth('invalid_request', 'address is required');
  return message;
}

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
  issue(@Payload() payload: unknown) {
    const message = oauthMessage<TokenRequest>(payload);
    return this.tokens.issue({ ...message, params: stringMap(message.params, 'params') });
  }

  @MessagePattern(Subjects.auth.token.introspect)
  introspect(@Payload() payload: unknown) {
    const message = oauthMessage<IntrospectionRequest>(payload);
    if (typeof message.token !== 'string') throw BusError.oauth('invalid_request', 'token is required');
    return this.introspection.introspect(message);
  }

  @MessagePattern(Subjects.auth.token.revoke)
  async revoke(@Payload() payload: unknown) {
    const message = oauthMessage<RevocationRequest>(payload);
    if (typeof message.token !== 'string') throw BusError.oauth('invalid_request', 'token is required');
    await this.introspection.revoke(message);
    return {};
  }

  @MessagePattern(Subjects.auth.jwks.get)
  jwks() {
    return this.keys.jwks();
  }

  @MessagePattern(Subjects.auth.admin.login)
  async login(@Payload() payload: unknown) {
    const address = String((payload as { address?: unknown })?.address ?? '');
    const { username, password } = await validateMessage(AdminLoginRequest, { username: (payload as StringMap)?.username, password: (payload as StringMap)?.password });
    return this.admins.login({ username, password, address });
  }

  @MessagePattern(Subjects.auth.admin.changePassword)
  async changePassword(@Payload() payload: unknown) {
    const { subject, address } = (payload ?? {}) as StringMap;
    if (typeof subject !== 'string' || typeof address !== 'string') throw new BusError('validation_failed', 'subject and address are required');
    const { currentPassword, newPassword } = await validateMessage(ChangeAdminPasswordRequest, { currentPassword: (payload as StringMap).currentPassword, newPassword: (payload as StringMap).newPassword });
    await this.admins.changePassword({ subject, address, currentPassword, newPassword });
    return { changed: true };
  }

  @MessagePattern(Subjects.auth.admin.logout)
  async logout(@Payload() payload: unknown) {
    const { jti, clientId, exp, sessionId, subject } = await validateMessage(AdminLogoutRequest, payload);
    await this.admins.logout({ jti, client_id: clientId, exp, iat: 0, fid: sessionId, sub: subject });
    return { revoked: true };
  }

  @MessagePattern(Subjects.auth.authorization.prompt)
  prompt(@Payload() payload: unknown) {
    return this.authorization.prompt(stringMap((payload as { params?: unknown })?.params, 'params'));
  }

  @MessagePattern(Subjects.auth.authorization.decide)
  decide(@Payload() payload: unknown) {
    const decision = (payload ?? {}) as AuthorizationDecision;
    if (typeof decision.subject !== 'string' || typeof decision.approved !== 'boolean') throw new BusError('validation_failed', 'subject and approved are required');
    return this.authorization.decide({ ...decision, params: stringMap(decision.params, 'params') });
  }

  @MessagePattern(Subjects.auth.family.list)
  async listFamilies(@Payload() payload: unknown) {
    const { integrationId, limit, cursor } = await validateMessage(ListFamiliesRequest, payload);
    return this.families.list(integrationId, limit, cursor);
  }

  @MessagePattern(Subjects.auth.family.revoke)
  async revokeFamily(@Payload() payload: unknown) {
    const { integrationId, familyId } = await validateMessage(RevokeFamilyRequest, payload);
    await this.families.revoke(integrationId, familyId);
    return { revoked: true };
  }

  @MessagePattern(Subjects.auth.family.revokeAll)
  async revokeAllFamilies(@Payload() payload: unknown) {
    const { clientId, integrationId } = await validateMessage(RevokeAllFamiliesRequest, payload);
    await this.families.revokeAll(clientId, integrationId);
    return { revoked: true };
  }
}

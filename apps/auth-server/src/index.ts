import { Module } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type MicroserviceRuntime, type RunningMicroservice } from '@tessera/service-runtime';
import { AdminAccountsService } from './admin/admin-accounts.service.js';
import { AdminSessionsService } from './admin/admin-sessions.service.js';
import { AdminUser } from './admin/admin-user.entity.js';
import { AdminUsersHandler } from './admin/admin-users.handler.js';
import { AdminUsersService } from './admin/admin-users.service.js';
import { AuditLogHandler } from './audit/audit-log.handler.js';
import { auditPruneRules, AuditLogService } from './audit/audit-log.service.js';
import { PersonActors } from './audit/person-actors.js';
import { AuthHandler } from './auth.handler.js';
import { AuthorizationCode } from './authorization/authorization-code.entity.js';
import { AuthorizationService } from './authorization/authorization.service.js';
import { ClientDirectory } from './clients/client-directory.js';
import { KnownInstance } from './instances/known-instance.entity.js';
import { KnownInstancesHandler } from './instances/known-instances.handler.js';
import { SigningKey } from './keys/signing-key.entity.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { Tokens1764100000000 } from './migrations/1764100000000-tokens.js';
import { GrantRetention1765160000000 } from './migrations/1765160000000-grant-retention.js';
import { AdminUsersAndAudit1766500000000 } from './migrations/1766500000000-admin-users-and-audit.js';
import { AuditClientRequestId1767100000000 } from './migrations/1767100000000-audit-client-request-id.js';
import { FailureLimiter } from './security/failure-limiter.js';
import { HashGate } from './security/hash-gate.js';
import { FamiliesService } from './tokens/families.service.js';
import { FamilyWriter } from './tokens/family-writer.js';
import { authPruneRules } from './tokens/grant-retention.js';
import { IntegrationEventsHandler } from './tokens/integration-events.handler.js';
import { IssuanceQuota } from './tokens/issuance-quota.js';
import { RefreshTokenFamily } from './tokens/refresh-token-family.entity.js';
import { RefreshToken } from './tokens/refresh-token.entity.js';
import { ClientRevocation } from './tokens/client-revocation.entity.js';
import { ClientRevision } from './tokens/client-revision.entity.js';
import { RevokedAccessToken } from './tokens/revoked-access-token.entity.js';
import { ClientRevision1764200000000 } from './migrations/1764200000000-client-revision.js';
import { ClientChangesFeed } from './clients/client-changes.feed.js';
import { IntegrationChangesService } from './tokens/integration-changes.service.js';
import { RevocationService } from './tokens/revocation.service.js';
import { TokenIntrospectionService } from './tokens/token-introspection.service.js';
import { TokenMetrics } from './tokens/token-metrics.js';
import { TokenService } from './tokens/token.service.js';
import { AuthorizationCodeGrant } from './tokens/grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './tokens/grants/client-credentials.grant.js';
import { RefreshTokenGrant } from './tokens/grants/refresh-token.grant.js';
import { TokenIssuance } from './tokens/grants/token-issuance.js';
import { RefreshTokenFamilyStore } from './tokens/refresh-token-family.store.js';
import { RevocationStore } from './tokens/revocation.store.js';
import { IssuanceWindowStore } from './tokens/issuance-window.store.js';
import { ClientRevisionStore } from './clients/client-revision.store.js';
import { AuthorizationCodeStore } from './authorization/authorization-code.store.js';

export const SERVICE_NAME = 'auth-server';

@Module({ controllers: [KnownInstancesHandler] })
class KnownInstancesModule {}

@Module({
  controllers: [AuthHandler, IntegrationEventsHandler, AdminUsersHandler, AuditLogHandler],
  providers: [
    AdminSessionsService,
    AdminUsersService,
    AuditLogService,
    PersonActors,
    SigningKeysService,
    ClientDirectory,
    FailureLimiter,
    HashGate,
    RevocationService,
    TokenService,
    TokenIntrospectionService,
    FamiliesService,
    FamilyWriter,
    IssuanceQuota,
    TokenMetrics,
    AdminAccountsService,
    AuthorizationService,
    IntegrationChangesService,
    ClientChangesFeed,
    TokenIssuance,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    AuthorizationCodeGrant,
    // The SQL of each aggregate, behind the services that decide.
    RefreshTokenFamilyStore,
    RevocationStore,
    IssuanceWindowStore,
    ClientRevisionStore,
    AuthorizationCodeStore,
  ],
})
class AuthorizationServerModule {}

/** Tokens, signing keys, introspection and revocation; schema `auth`. */
export function startAuthServer(runtime: MicroserviceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    schema: 'auth',
    pingSubject: Subjects.auth.ping,
    deadLetterSubject: Subjects.auth.deadLetter.list,
    entities: [KnownInstance, SigningKey, RefreshTokenFamily, RefreshToken, RevokedAccessToken, ClientRevocation, ClientRevision, AuthorizationCode, AdminUser],
    migrations: [
      Initial1764000000000,
      Tokens1764100000000,
      ClientRevision1764200000000,
      GrantRetention1765160000000,
      AdminUsersAndAudit1766500000000,
      AuditClientRequestId1767100000000,
    ],
    prune: (retention) => [...authPruneRules(retention), ...auditPruneRules(retention)],
    imports: [KnownInstancesModule, AuthorizationServerModule],
  });
}

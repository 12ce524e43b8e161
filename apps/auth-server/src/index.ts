import { Module } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type MicroserviceRuntime, type RunningMicroservice } from '@tessera/service-runtime';
import { AdminAccountsService } from './admin/admin-accounts.service.js';
import { AdminSessionsService } from './admin/admin-sessions.service.js';
import { AdminUsersHandler } from './admin/admin-users.handler.js';
import { AdminUsersService } from './admin/admin-users.service.js';
import { AUTH_SCHEMA } from './auth-schema.js';
import { AuditLogHandler } from './audit/audit-log.handler.js';
import { auditPruneRules, AuditLogService } from './audit/audit-log.service.js';
import { PersonActors } from './audit/person-actors.js';
import { AuthHandler } from './auth.handler.js';
import { AuthorizationService } from './authorization/authorization.service.js';
import { ClientAssertions } from './clients/client-assertions.js';
import { ClientDirectory } from './clients/client-directory.js';
import { ClientKeySets } from './clients/client-key-sets.js';
import { KnownInstancesHandler } from './instances/known-instances.handler.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { FailureLimiter } from './security/failure-limiter.js';
import { HashGate } from './security/hash-gate.js';
import { PasswordHasher } from './admin/password-hasher.js';
import { FamiliesService } from './tokens/families.service.js';
import { FamilyWriter } from './tokens/family-writer.js';
import { authPruneRules } from './tokens/grant-retention.js';
import { IntegrationEventsHandler } from './tokens/integration-events.handler.js';
import { IssuanceQuota } from './tokens/issuance-quota.js';
import { ClientChangesFeed } from './clients/client-changes.feed.js';
import { IntegrationChangesService } from './tokens/integration-changes.service.js';
import { RevocationService } from './tokens/revocation.service.js';
import { TokenIntrospectionService } from './tokens/token-introspection.service.js';
import { TokenMetrics } from './tokens/token-metrics.js';
import { TokenService } from './tokens/token.service.js';
import { DpopBinding } from './tokens/dpop-binding.js';
import { AuthorizationCodeGrant } from './tokens/grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './tokens/grants/client-credentials.grant.js';
import { RefreshTokenGrant } from './tokens/grants/refresh-token.grant.js';
import { TokenIssuance } from './tokens/grants/token-issuance.js';
import { RefreshTokenFamilyStore, SqlRefreshTokenFamilyStore } from './tokens/refresh-token-family.store.js';
import { RevocationStore, SqlRevocationStore } from './tokens/revocation.store.js';
import { IssuanceWindowStore, SqlIssuanceWindowStore } from './tokens/issuance-window.store.js';
import { ClientRevisionStore, SqlClientRevisionStore } from './clients/client-revision.store.js';
import { AuthorizationCodeStore, SqlAuthorizationCodeStore } from './authorization/authorization-code.store.js';
import { AdminSessionStore, SqlAdminSessionStore } from './admin/admin-session.store.js';
import { AdminUserStore, SqlAdminUserStore } from './admin/admin-user.store.js';
import { AuditLogStore, SqlAuditLogStore } from './audit/audit-log.store.js';
import { KnownInstanceStore, SqlKnownInstanceStore } from './instances/known-instance.store.js';
import { SigningKeyStore, SqlSigningKeyStore } from './keys/signing-key.store.js';
import { SsfDelivery } from './ssf/ssf-delivery.js';
import { SsfMetrics } from './ssf/ssf-metrics.js';
import { SsfAdminService } from './ssf/ssf-admin.service.js';
import { SsfHandler } from './ssf/ssf.handler.js';
import { ssfPruneRules } from './ssf/ssf-retention.js';
import { SsfSecrets } from './ssf/ssf-secrets.js';
import { SsfStore, SqlSsfStore } from './ssf/ssf.store.js';
import { SsfStreamsService } from './ssf/ssf-streams.service.js';
import { SsfTransmitter } from './ssf/ssf-transmitter.js';

export const SERVICE_NAME = 'auth-server';

@Module({ controllers: [KnownInstancesHandler], providers: [{ provide: KnownInstanceStore, useClass: SqlKnownInstanceStore }] })
class KnownInstancesModule {}

@Module({
  controllers: [AuthHandler, IntegrationEventsHandler, AdminUsersHandler, AuditLogHandler, SsfHandler],
  providers: [
    AdminSessionsService,
    AdminUsersService,
    AuditLogService,
    PersonActors,
    SigningKeysService,
    ClientDirectory,
    ClientAssertions,
    ClientKeySets,
    FailureLimiter,
    HashGate,
    PasswordHasher,
    RevocationService,
    TokenService,
    DpopBinding,
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
    // The Shared Signals transmitter (ADR 0049).
    SsfStreamsService,
    SsfTransmitter,
    SsfDelivery,
    SsfAdminService,
    SsfSecrets,
    SsfMetrics,
    // The SQL of each aggregate, behind the services that decide.
    { provide: RefreshTokenFamilyStore, useClass: SqlRefreshTokenFamilyStore },
    { provide: RevocationStore, useClass: SqlRevocationStore },
    { provide: IssuanceWindowStore, useClass: SqlIssuanceWindowStore },
    { provide: ClientRevisionStore, useClass: SqlClientRevisionStore },
    { provide: AuthorizationCodeStore, useClass: SqlAuthorizationCodeStore },
    { provide: AdminUserStore, useClass: SqlAdminUserStore },
    { provide: AdminSessionStore, useClass: SqlAdminSessionStore },
    { provide: AuditLogStore, useClass: SqlAuditLogStore },
    { provide: SigningKeyStore, useClass: SqlSigningKeyStore },
    { provide: SsfStore, useClass: SqlSsfStore },
  ],
})
class AuthorizationServerModule {}

/** Tokens, signing keys, introspection and revocation; schema `auth`. */
export function startAuthServer(runtime: MicroserviceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    ...AUTH_SCHEMA,
    pingSubject: Subjects.auth.ping,
    deadLetterSubject: Subjects.auth.deadLetter.list,
    prune: (retention) => [...authPruneRules(retention), ...auditPruneRules(retention), ...ssfPruneRules()],
    imports: [KnownInstancesModule, AuthorizationServerModule],
  });
}

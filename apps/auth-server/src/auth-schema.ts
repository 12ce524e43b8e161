import { AdminUser } from './admin/admin-user.entity.js';
import { AuthorizationCode } from './authorization/authorization-code.entity.js';
import { KnownInstance } from './instances/known-instance.entity.js';
import { SigningKey } from './keys/signing-key.entity.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { Tokens1764100000000 } from './migrations/1764100000000-tokens.js';
import { ClientRevision1764200000000 } from './migrations/1764200000000-client-revision.js';
import { GrantRetention1765160000000 } from './migrations/1765160000000-grant-retention.js';
import { AdminUsersAndAudit1766500000000 } from './migrations/1766500000000-admin-users-and-audit.js';
import { AuditClientRequestId1767100000000 } from './migrations/1767100000000-audit-client-request-id.js';
import { SsfStreams1767600000000 } from './migrations/1767600000000-ssf-streams.js';
import { AuthorizationCodeDpopJkt1767800000000 } from './migrations/1767800000000-authorization-code-dpop-jkt.js';
import { SsfVerificationInterval1768000000001 } from './migrations/1768000000001-ssf-verification-interval.js';
import { SsfPendingSet, SsfStream, SsfSubject } from './ssf/ssf-stream.entity.js';
import { RefreshTokenFamily } from './tokens/refresh-token-family.entity.js';
import { RefreshToken } from './tokens/refresh-token.entity.js';
import { ClientRevision } from './tokens/client-revision.entity.js';
import { ClientRevocation } from './tokens/client-revocation.entity.js';
import { RevokedAccessToken } from './tokens/revoked-access-token.entity.js';

/** auth-server's schema: its tables and the migrations that build them, for the service and for its stores' specs. */
export const AUTH_SCHEMA = {
  schema: 'auth',
  entities: [
    KnownInstance,
    SigningKey,
    RefreshTokenFamily,
    RefreshToken,
    RevokedAccessToken,
    ClientRevocation,
    ClientRevision,
    AuthorizationCode,
    AdminUser,
    SsfStream,
    SsfSubject,
    SsfPendingSet,
  ],
  migrations: [
    Initial1764000000000,
    Tokens1764100000000,
    ClientRevision1764200000000,
    GrantRetention1765160000000,
    AdminUsersAndAudit1766500000000,
    AuditClientRequestId1767100000000,
    SsfStreams1767600000000,
    AuthorizationCodeDpopJkt1767800000000,
    SsfVerificationInterval1768000000001,
  ],
};

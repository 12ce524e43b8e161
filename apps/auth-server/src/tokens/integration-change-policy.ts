import type { IntegrationChangedEvent, TokenRevokedEvent } from '@tessera/contracts';
import { lostPermissions } from '@tessera/permissions';

/** What auth-server revokes for an integration change: the client's tokens, or only its access tokens. */
export interface ChangeRevocation {
  reason: TokenRevokedEvent['reason'];
  /** Keep the grants: a secret replaced without grace stops its access tokens, while a grant needs the new secret to refresh. */
  accessTokensOnly: boolean;
}

/**
 * What an event recorded before events carried only facts said (still in an outbox or on the stream at an upgrade):
 * the registry's verdict, honoured as it was then.
 */
interface RecordedVerdict {
  revokeTokens?: boolean;
  reason?: string;
  accessTokensOnly?: boolean;
}

/**
 * auth-server's policy for integration changes (ADR 0013): what is taken away is revoked at once. Deleting or disabling
 * an integration, or taking a permission away from it, revokes everything it was issued; a secret replaced without
 * grace revokes the access tokens that secret obtained. Anything else revokes nothing.
 */
export function revocationFor(change: IntegrationChangedEvent & RecordedVerdict): ChangeRevocation | undefined {
  if (change.change === 'deleted') return { reason: 'integration_deleted', accessTokensOnly: false };
  if (change.change === 'updated' && change.previous) {
    if (change.previous.enabled && !change.enabled) return { reason: 'integration_disabled', accessTokensOnly: false };
    if (lostPermissions(change.previous.permissions, change.permissions).length) return { reason: 'permissions_narrowed', accessTokensOnly: false };
    return undefined;
  }
  if (change.change === 'secret_rotated' && change.previousSecretValidUntil !== undefined) {
    return change.previousSecretValidUntil === null ? { reason: 'secret_rotated', accessTokensOnly: true } : undefined;
  }
  if (!change.revokeTokens) return undefined;
  return { reason: (change.reason ?? 'integration_disabled') as TokenRevokedEvent['reason'], accessTokensOnly: change.accessTokensOnly === true };
}

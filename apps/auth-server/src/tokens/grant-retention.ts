import type { RetentionConfig } from '@tessera/config';
import type { PruneRule } from '@tessera/persistence';
import { MAX_ACCESS_TOKEN_TTL_MS } from '../keys/signing-keys.service.js';

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/**
 * What auth-server prunes, and why each row is safe to delete by then (docs/decisions/0016). An access token is
 * minted only from a live grant and lives at most MAX_ACCESS_TOKEN_TTL_MS, so that long after a grant expired or was
 * revoked no access token of it is valid: until then its row stays, because introspection denies the tokens of a
 * revoked family by finding it, and re-use detection needs its rotated refresh tokens. `grantsMs` is kept on top.
 */
export function authPruneRules(retention: RetentionConfig): PruneRule[] {
  const afterLastAccessToken = MAX_ACCESS_TOKEN_TTL_MS + retention.grantsMs;
  return [
    {
      // Deleting a family deletes its refresh tokens with it (ON DELETE CASCADE).
      name: 'revoked_refresh_token_family',
      table: '"auth"."refresh_token_family"',
      key: '"id"',
      where: '"revoked_at" IS NOT NULL AND "revoked_at" < $1',
      params: (now) => [ago(now, afterLastAccessToken)],
    },
    {
      name: 'expired_refresh_token_family',
      table: '"auth"."refresh_token_family"',
      key: '"id"',
      where: '"revoked_at" IS NULL AND "expires_at" < $1',
      params: (now) => [ago(now, afterLastAccessToken)],
    },
    {
      // A replayed code revokes what it issued; past its expiry plus the retention, a replay is just an invalid code.
      name: 'authorization_code',
      table: '"auth"."authorization_code"',
      key: '"code_hash"',
      where: '"expires_at" < $1',
      params: (now) => [ago(now, retention.grantsMs)],
    },
    {
      name: 'revoked_access_token',
      table: '"auth"."revoked_access_token"',
      key: '"jti"',
      where: '"expires_at" < $1',
      params: (now) => [ago(now, retention.grantsMs)],
    },
    {
      // Revokes tokens issued before revoked_at; the last of those has expired MAX_ACCESS_TOKEN_TTL_MS later.
      name: 'client_revocation',
      table: '"auth"."client_revocation"',
      key: '"client_id"',
      where: '"revoked_at" < $1',
      params: (now) => [ago(now, afterLastAccessToken)],
    },
    {
      name: 'issuance_window',
      table: '"auth"."issuance_window"',
      key: '"id"',
      where: '"window_end" < $1',
      params: (now) => [now],
    },
  ];
}

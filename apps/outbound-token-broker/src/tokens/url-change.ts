import type { Provider } from '../providers/provider.entity.js';
import { movedFields, movedSecrets, type SecretName, type SecretUrlField } from '../secrets/secret-destinations.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { settledState } from '../outbound-token/token-state.js';

type Urls = Partial<Record<SecretUrlField, string | null>>;
const TOKEN_SECRETS: SecretName[] = ['accessToken', 'refreshToken', 'password'];

/**
 * Applies the URL-change rule (ADR 0015) to one token: each of its secrets that the change would send to a new origin
 * is forgotten, unless `reentered` says the request brought it again. Says what was cleared, and why, in lastMessage.
 */
export function clearSecretsSentElsewhere(
  token: OutboundToken,
  provider: Pick<Provider, 'grantType'>,
  before: Urls,
  after: Urls,
  now: Date,
  reentered: SecretName[] = [],
): SecretName[] {
  const moved = movedSecrets(before, after, TOKEN_SECRETS).filter((name) => !reentered.includes(name));
  const cleared = moved.filter(
    (name) => (name === 'accessToken' ? token.accessTokenSealed : name === 'refreshToken' ? token.refreshTokenSealed : token.passwordSealed) !== null,
  );
  if (!cleared.length) return [];
  for (const name of cleared) {
    if (name === 'accessToken') {
      token.accessTokenSealed = null;
      token.expiresAt = null;
    }
    if (name === 'refreshToken') token.refreshTokenSealed = null;
    if (name === 'password') token.passwordSealed = null;
  }
  const fields = [...new Set(cleared.flatMap((name) => movedFields(before, after, name)))];
  const next = cleared.includes('password')
    ? 'enter the password again'
    : provider.grantType === 'authorization_code' && !token.refreshTokenSealed
      ? 'authorize again'
      : 'a new token is fetched on next use';
  token.lastMessage = `Cleared the ${cleared.map((n) => n.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)).join(', ')}: ${fields.join(', ')} moved to another origin; ${next}`;
  token.nextRefreshAt = null;
  token.state = settledState(
    {
      active: token.active,
      grantType: provider.grantType,
      hasAccessToken: token.accessTokenSealed !== null,
      hasRefreshToken: token.refreshTokenSealed !== null,
      expiresAt: token.expiresAt,
      revoked: token.state === 'revoked',
      refreshFailed: token.state === 'refresh_failed',
    },
    now,
  );
  return cleared;
}

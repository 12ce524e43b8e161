import type { Provider } from '../providers/provider.entity.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';

/**
 * A token its provider refused for good may work with the provider as it now is (a corrected secret, token URL or
 * scope): it is handed back to the scheduler, due at once, instead of waiting for someone to press "Refresh". Only a
 * token that can be renewed without a human: client_credentials and password always, authorization code while it
 * still holds a refresh token. Says whether the token changed.
 */
export function retryAfterProviderChange(token: OutboundToken, provider: Provider, now: Date): boolean {
  if (!token.active || token.state !== 'refresh_failed') return false;
  if (provider.grantType === 'authorization_code' && !token.refreshTokenSealed) return false;
  token.state = 'expired';
  token.nextRefreshAt = now;
  token.lastMessage = 'The provider was changed: fetching a token again';
  return true;
}

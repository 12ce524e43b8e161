import type { Provider } from '../providers/provider.entity.js';
import { signAssertion } from './assertion.js';
import type { SigningKey } from './signing-key.js';

/** Makes one client assertion for a request to `audience` (RFC 7523 §2.2). */
export type AssertionSigner = (audience: string) => Promise<string>;

/**
 * private_key_jwt with the provider's own key: iss and sub the client id (RFC 7523 §3). Signed with the wall clock,
 * not the injectable one: the provider checks exp against its own real time.
 */
function providerKeySigner(key: SigningKey, clientId: string): AssertionSigner {
  return (aud) => signAssertion(key, { iss: clientId, sub: clientId, aud }, new Date());
}

/**
 * Who signs a private_key_jwt provider's client assertions, as its stored assertionSigner says: this platform's client
 * key (`platform`, a P2PI client app; the registry signs) or the provider's own key held here. None for another
 * method, or when the provider's own key is missing (the request is then refused, not sent unsigned).
 */
export function clientAssertionSigner(
  provider: Pick<Provider, 'clientId' | 'clientAuthMethod' | 'assertionSigner'>,
  key: SigningKey | null,
  platform: (clientId: string) => AssertionSigner,
): AssertionSigner | undefined {
  if (provider.clientAuthMethod !== 'private_key_jwt') return undefined;
  if (provider.assertionSigner === 'platform') return platform(provider.clientId);
  return key ? providerKeySigner(key, provider.clientId) : undefined;
}

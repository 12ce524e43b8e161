import { createPrivateKey } from 'node:crypto';
import { BusError } from '@tessera/contracts';
import type { Provider } from '../providers/provider.entity.js';
import type { BrokerSecrets } from '../secrets/broker-secrets.js';
import {
  DEFAULT_GENERATED_ALGORITHM,
  fits,
  generateSigningKey,
  importSigningKey,
  SigningKeyProblem,
  type NewSigningKey,
  type SigningKey,
} from './signing-key.js';

const SEALED_FIELD = 'signing_key';

/**
 * Whether the provider signs assertions with a key of its own: as its grant, or as its client authentication unless
 * this platform's client key signs those (assertionSigner `platform`: the registry holds that key, so none is made here).
 */
export function needsSigningKey(provider: Pick<Provider, 'clientAuthMethod' | 'grantType' | 'assertionSigner'>): boolean {
  return provider.grantType === 'jwt_bearer' || (provider.clientAuthMethod === 'private_key_jwt' && provider.assertionSigner !== 'platform');
}

/** The key assertions are signed with now, opened from its seal; null when the provider has none. */
export function openSigningKey(secrets: BrokerSecrets, provider: Provider): SigningKey | null {
  const current = provider.signingKeys?.[0];
  if (!current || !provider.signingKeySealed) return null;
  return { privateKey: createPrivateKey(secrets.open(provider.signingKeySealed, provider.id, SEALED_FIELD)), alg: current.alg, kid: current.kid };
}

function install(provider: Provider, key: NewSigningKey, secrets: BrokerSecrets, keepPrevious: boolean): void {
  const previous = keepPrevious && provider.signingKeys?.[0] ? [provider.signingKeys[0]] : [];
  provider.signingKeys = [key.stored, ...previous];
  provider.signingKeySealed = secrets.seal(key.privatePem, provider.id, SEALED_FIELD);
}

function refused(message: string): BusError {
  return new BusError('validation_failed', 'The request has invalid fields', { assertionKey: [`assertionKey ${message}`] });
}

/**
 * Brings the provider's signing key in line with a create or change. A given key (assertionKey) replaces what there
 * was; an empty one clears it. A provider that signs and has no key gets a generated one (the JWKS URL is then what
 * the provider registers); a change of algorithm makes a new generated key, or is checked against a given one. A
 * provider that no longer signs forgets its keys.
 */
export async function applySigningKey(provider: Provider, given: string | undefined, secrets: BrokerSecrets, now: Date): Promise<void> {
  if (given === '') Object.assign(provider, { signingKeys: [], signingKeySealed: null });
  if (given && !needsSigningKey(provider) && provider.assertionSigner === 'platform')
    throw refused("is not used: this provider's client assertions are signed with the platform's client key (assertionSigner platform)");
  if (given) {
    try {
      install(provider, await importSigningKey(given, provider.assertionAlgorithm, provider.assertionKeyId, now), secrets, false);
    } catch (error) {
      if (error instanceof SigningKeyProblem) throw refused(error.message);
      throw error;
    }
    return;
  }
  if (!needsSigningKey(provider)) {
    Object.assign(provider, { signingKeys: [], signingKeySealed: null });
    return;
  }
  const current = provider.signingKeys?.[0];
  const alg = provider.assertionAlgorithm;
  if (!current) {
    install(provider, await generateSigningKey(alg ?? DEFAULT_GENERATED_ALGORITHM, now), secrets, false);
  } else if (current.generated && alg && alg !== current.alg) {
    install(provider, await generateSigningKey(alg, now), secrets, true);
  } else if (!current.generated) {
    if (alg && !fits(current, alg)) throw refused(`is a ${current.publicJwk.kty} key: it cannot sign ${alg}`);
    // A given key's id and algorithm are the admin's to correct (the kid the provider knows it by).
    const kid = provider.assertionKeyId ?? current.kid;
    const chosen = alg ?? current.alg;
    provider.signingKeys = [{ ...current, kid, alg: chosen, publicJwk: { ...current.publicJwk, kid, alg: chosen } }, ...provider.signingKeys.slice(1)];
  }
}

/**
 * A new generated key signs from now on; the one it replaces stays published until the next rotation, so assertions
 * already made still verify and a provider that caches the JWKS can fetch it again. A key an admin gave is replaced by
 * giving another: the broker cannot register a key of its making where that one came from.
 */
export async function rotateSigningKey(provider: Provider, secrets: BrokerSecrets, now: Date): Promise<void> {
  const current = provider.signingKeys?.[0];
  if (!needsSigningKey(provider))
    throw BusError.conflict(
      provider.assertionSigner === 'platform' && provider.clientAuthMethod === 'private_key_jwt'
        ? `Provider ${provider.name} signs with the platform's client key, not a key of its own: rotate that key in the registry`
        : `Provider ${provider.name} signs nothing: it uses neither private_key_jwt nor jwt_bearer`,
    );
  if (current && !current.generated) throw BusError.conflict(`Provider ${provider.name} signs with a key it was given: give the new one as assertionKey`);
  install(provider, await generateSigningKey(provider.assertionAlgorithm ?? current?.alg ?? DEFAULT_GENERATED_ALGORITHM, now), secrets, true);
}

/** The public JWK Set to register at the provider: public members only, newest first. */
export function publicJwks(provider: Provider): { keys: Record<string, unknown>[] } {
  return { keys: (provider.signingKeys ?? []).map((key) => ({ ...key.publicJwk })) };
}

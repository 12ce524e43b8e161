import { BusError, CLIENT_JWKS_METADATA_MEMBER } from '@tessera/contracts';
import { egressCause, DEFAULT_LIMITS, type Egress } from '@tessera/egress';

const METADATA_TIMEOUT_MS = 10_000;
const FIELD = 'tokenEndpointAuthMethod';

const refused = (message: string) => new BusError('validation_failed', message, { [FIELD]: [message] });

/**
 * The JWKS URL a calling platform signs its client assertions with, read from its RFC 8414 metadata (through the
 * egress policy). The metadata's `issuer` must be the instance's base URL (§3.3), and the URL must be on that origin:
 * whoever can answer for the instance's address decides its keys, and no one else.
 */
export async function callerClientJwksUri(baseUrl: string, egress: Egress): Promise<string> {
  const url = `${baseUrl}/.well-known/oauth-authorization-server`;
  let metadata: Record<string, unknown> | undefined;
  try {
    const response = await egress.fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
    if (!response.ok) {
      await response.body?.cancel();
      throw refused(`${url} answered ${response.status}`);
    }
    metadata = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  } catch (error) {
    if (error instanceof BusError) throw error;
    throw refused(`could not read ${url}: ${(egressCause(error, DEFAULT_LIMITS) as Error).message}`);
  }
  if (!metadata || metadata.issuer !== baseUrl) throw refused(`the metadata at ${url} names issuer ${JSON.stringify(metadata?.issuer)}, not ${baseUrl}`);
  const jwksUri = metadata[CLIENT_JWKS_METADATA_MEMBER];
  if (typeof jwksUri !== 'string' || !/^https?:\/\/\S+$/.test(jwksUri))
    throw refused(`the metadata at ${url} announces no ${CLIENT_JWKS_METADATA_MEMBER}: that platform cannot authenticate with private_key_jwt`);
  if (new URL(jwksUri).origin !== new URL(baseUrl).origin) throw refused(`the metadata's ${CLIENT_JWKS_METADATA_MEMBER} is not on ${new URL(baseUrl).origin}`);
  return jwksUri;
}

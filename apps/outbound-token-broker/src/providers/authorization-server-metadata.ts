import { BusError } from '@tessera/contracts';
import { egressCause, DEFAULT_LIMITS, type Egress } from '@tessera/egress';

export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
}

const METADATA_TIMEOUT_MS = 10_000;

function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * Reads RFC 8414 metadata through the egress policy. The `issuer` in it must be exactly the one asked for (§3.3), so
 * a platform cannot pose as another; its endpoints must be http(s) URLs on the issuer's own origin, so a peer cannot
 * aim our client secret and tokens at a third host (or at our own internal services).
 */
export async function fetchAuthorizationServerMetadata(issuer: string, egress: Egress): Promise<AuthorizationServerMetadata> {
  const url = `${issuer}/.well-known/oauth-authorization-server`;
  let metadata: Partial<AuthorizationServerMetadata> | undefined;
  try {
    const response = await egress.fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new BusError('validation_failed', `${url} answered ${response.status}`, { issuer: [`${url} answered ${response.status}`] });
    }
    metadata = (await response.json().catch(() => undefined)) as Partial<AuthorizationServerMetadata> | undefined;
  } catch (error) {
    if (error instanceof BusError) throw error;
    const cause = egressCause(error, DEFAULT_LIMITS) as Error;
    throw new BusError('validation_failed', `Could not read ${url}: ${cause.message}`, { issuer: [`could not read ${url}: ${cause.message}`] });
  }
  const isUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
  if (!metadata || metadata.issuer !== issuer) {
    throw new BusError('validation_failed', `The metadata at ${url} names issuer ${JSON.stringify(metadata?.issuer)}, not ${issuer}`, {
      issuer: ['does not match the issuer in its metadata'],
    });
  }
  if (
    !isUrl(metadata.authorization_endpoint) ||
    !isUrl(metadata.token_endpoint) ||
    (metadata.revocation_endpoint !== undefined && !isUrl(metadata.revocation_endpoint))
  ) {
    throw new BusError('validation_failed', `The metadata at ${url} lacks valid endpoints`, {
      issuer: ['metadata lacks authorization_endpoint or token_endpoint'],
    });
  }
  const foreign = (['authorization_endpoint', 'token_endpoint', 'revocation_endpoint'] as const).filter(
    (field) => metadata[field] !== undefined && originOf(metadata[field]!) !== originOf(issuer),
  );
  if (foreign.length) {
    throw new BusError('validation_failed', `The metadata at ${url} points ${foreign.join(', ')} away from the issuer's origin`, {
      issuer: foreign.map((field) => `metadata's ${field} is not on ${originOf(issuer)}`),
    });
  }
  return metadata as AuthorizationServerMetadata;
}

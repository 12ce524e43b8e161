import { BusError } from '@tessera/contracts';

export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
}

const METADATA_TIMEOUT_MS = 10_000;

/**
 * Reads RFC 8414 metadata. The `issuer` in it must be exactly the one asked for (§3.3), so a platform cannot
 * pose as another; endpoints must be http(s) URLs.
 */
export async function fetchAuthorizationServerMetadata(issuer: string): Promise<AuthorizationServerMetadata> {
  const url = `${issuer}/.well-known/oauth-authorization-server`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) });
  } catch (error) {
    throw new BusError('validation_failed', `Could not read ${url}: ${(error as Error).message}`, { issuer: [`could not read ${url}`] });
  }
  if (!response.ok) throw new BusError('validation_failed', `${url} answered ${response.status}`, { issuer: [`${url} answered ${response.status}`] });
  const metadata = (await response.json().catch(() => undefined)) as Partial<AuthorizationServerMetadata> | undefined;
  const isUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
  if (!metadata || metadata.issuer !== issuer) {
    throw new BusError('validation_failed', `The metadata at ${url} names issuer ${JSON.stringify(metadata?.issuer)}, not ${issuer}`, { issuer: ['does not match the issuer in its metadata'] });
  }
  if (!isUrl(metadata.authorization_endpoint) || !isUrl(metadata.token_endpoint) || (metadata.revocation_endpoint !== undefined && !isUrl(metadata.revocation_endpoint))) {
    throw new BusError('validation_failed', `The metadata at ${url} lacks valid endpoints`, { issuer: ['metadata lacks authorization_endpoint or token_endpoint'] });
  }
  return metadata as AuthorizationServerMetadata;
}

import { createHash } from 'node:crypto';

/**
 * How a caller names an access token an API refused (`rejectedTokenHash` of `tessera.broker.token.access`) without
 * sending the token back: SHA-256, base64url. The callers and the broker that compares it all use this one.
 */
export function rejectedTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

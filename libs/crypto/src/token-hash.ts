import { createHash } from 'node:crypto';

/**
 * SHA-256 of a token, base64url: how a token is stored or named without being kept or sent. Refresh tokens and
 * authorization codes are 256-bit random values, so an unkeyed hash is enough to make a stolen table useless (a slow
 * hash would add nothing but latency); a caller names an access token an API refused (`rejectedTokenHash` of
 * `tessera.broker.token.access`) by it without sending the token back, and the broker compares the same hash.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

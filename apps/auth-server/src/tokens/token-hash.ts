import { createHash } from 'node:crypto';

/**
 * Refresh tokens and authorization codes are 256-bit random values, so an unkeyed SHA-256 is enough to make a
 * stolen table useless; a slow hash would add nothing but latency.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

import type { TokenRevokedEvent } from '@tessera/contracts';

export interface RevocableClaims {
  jti?: string;
  client_id?: string;
  iat?: number;
  fid?: string;
  /** The integration revision the token was issued under (ADR 0013). */
  cv?: number;
}

/**
 * Revocations a verifier has heard of, until the tokens they cover would have expired anyway. Lookups are O(1):
 * by jti, by family id (the `fid` claim), and by client (tokens issued up to the client-wide revocation).
 */
export class DenyList {
  private readonly byJti = new Map<string, number>();
  private readonly byFamily = new Map<string, number>();
  private readonly byClient = new Map<string, { revokedAtSeconds: number; minRevision?: number; until: number }>();

  /**
   * `tessera.events.token.revoked` also carries the broker's outbound-token revocations ({tokenId, name}), which
   * concern no access token of ours: only events naming a client are entries here.
   */
  add(event: TokenRevokedEvent): void {
    if (typeof event?.clientId !== 'string' || typeof event.expiresAt !== 'string') return;
    const until = Date.parse(event.expiresAt);
    if (event.jti) this.byJti.set(event.jti, until);
    else if (event.familyId) this.byFamily.set(event.familyId, until);
    else {
      const revokedAtSeconds = Math.floor(Date.parse(event.revokedAt) / 1000);
      const previous = this.byClient.get(event.clientId);
      const minRevision = Math.max(previous?.minRevision ?? -Infinity, typeof event.clientRevision === 'number' ? event.clientRevision : -Infinity);
      this.byClient.set(event.clientId, {
        revokedAtSeconds: Math.max(previous?.revokedAtSeconds ?? -Infinity, revokedAtSeconds),
        ...(Number.isFinite(minRevision) ? { minRevision } : {}),
        until: Math.max(previous?.until ?? -Infinity, until),
      });
    }
  }

  isDenied(claims: RevocableClaims): boolean {
    if (claims.jti && this.byJti.has(claims.jti)) return true;
    if (claims.fid && this.byFamily.has(claims.fid)) return true;
    const client = claims.client_id ? this.byClient.get(claims.client_id) : undefined;
    if (!client) return false;
    // By revision when both sides have one: exact whichever replica issued the token and whatever its clock said.
    if (typeof claims.cv === 'number' && client.minRevision !== undefined) return claims.cv < client.minRevision;
    return (claims.iat ?? 0) <= client.revokedAtSeconds;
  }

  /** Drops entries whose tokens have all expired. */
  prune(nowMs: number): void {
    for (const map of [this.byJti, this.byFamily]) for (const [key, until] of map) if (until < nowMs) map.delete(key);
    for (const [key, entry] of this.byClient) if (entry.until < nowMs) this.byClient.delete(key);
  }

  get size(): number {
    return this.byJti.size + this.byFamily.size + this.byClient.size;
  }
}

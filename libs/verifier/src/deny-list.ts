// The vocabulary entry (no validators behind it): a resource server embedding the verifier loads no class-validator.
import { MAX_ACCESS_TOKEN_LIFETIME_MS } from '@tessera/contracts/vocabulary';
import type { TokenRevokedEvent } from '@tessera/contracts';

export interface RevocableClaims {
  jti?: string;
  client_id?: string;
  iat?: number;
  fid?: string;
  /** The integration revision the token was issued under (ADR 0013). */
  cv?: number;
}

/** Clocks of two hosts may disagree by this much: a revocation dated later than its arrival plus this is dated then. */
export const CLOCK_SKEW_MS = 5_000;
/** Client-wide revisions kept per client (the highest claimed): a few changes in one token lifetime. */
const REVISIONS_KEPT = 8;

interface ClientRevocation {
  revokedAtSeconds: number;
  /** The revisions client-wide revocations named, highest first; which one applies is decided per token. */
  revisions: number[];
  until: number;
}

/**
 * Revocations a verifier has heard of, until the tokens they cover would have expired anyway. Lookups are O(1):
 * by jti, by family id (the `fid` claim), and by client (tokens issued up to the client-wide revocation).
 *
 * An event is cut to what an honest issuer could have said (ADR 0027), so one that does not fit cannot deny more
 * than a real revocation would: `revokedAt` no later than its arrival, `expiresAt` no later than `revokedAt` plus the
 * longest token lifetime, and a `clientRevision` no higher than one past the highest revision seen issued: from the
 * registry's integration events, from the `cv` of tokens whose signature was checked, the token in hand included. A
 * revision beyond that is not applied; the revocation then covers the client's tokens by issue time, as for tokens
 * without one.
 */
export class DenyList {
  private readonly byJti = new Map<string, number>();
  private readonly byFamily = new Map<string, number>();
  private readonly byClient = new Map<string, ClientRevocation>();
  /** The highest integration revision seen issued, per client id. */
  private readonly revisions = new Map<string, number>();

  /** A revision the client's integration has reached: told by the registry, or carried by a validly signed token. */
  noteRevision(clientId: string, revision: number): void {
    if (typeof clientId !== 'string' || !Number.isSafeInteger(revision)) return;
    if (revision > (this.revisions.get(clientId) ?? -Infinity)) this.revisions.set(clientId, revision);
  }

  /** `receivedAtMs`: when the event reached the bus (the stream's stamp), so a replay is judged as the live event was. */
  add(event: TokenRevokedEvent, receivedAtMs = Date.now()): void {
    if (typeof event?.clientId !== 'string' || typeof event.expiresAt !== 'string' || typeof event.revokedAt !== 'string') return;
    const claimedRevokedAt = Date.parse(event.revokedAt);
    const claimedUntil = Date.parse(event.expiresAt);
    if (Number.isNaN(claimedRevokedAt) || Number.isNaN(claimedUntil)) return;
    const revokedAtMs = Math.min(claimedRevokedAt, receivedAtMs + CLOCK_SKEW_MS);
    const until = Math.min(claimedUntil, revokedAtMs + MAX_ACCESS_TOKEN_LIFETIME_MS + CLOCK_SKEW_MS);
    if (event.jti) this.byJti.set(event.jti, until);
    else if (event.familyId) this.byFamily.set(event.familyId, until);
    else {
      const previous = this.byClient.get(event.clientId);
      const revisions = [...(previous?.revisions ?? [])];
      if (Number.isSafeInteger(event.clientRevision) && !revisions.includes(event.clientRevision!)) revisions.push(event.clientRevision!);
      this.byClient.set(event.clientId, {
        revokedAtSeconds: Math.max(previous?.revokedAtSeconds ?? -Infinity, Math.floor(revokedAtMs / 1000)),
        revisions: revisions.sort((a, b) => b - a).slice(0, REVISIONS_KEPT),
        until: Math.max(previous?.until ?? -Infinity, until),
      });
    }
  }

  /** Only for claims whose signature has been checked: the token's own `cv` counts as a revision seen issued. */
  isDenied(claims: RevocableClaims): boolean {
    if (claims.jti && this.byJti.has(claims.jti)) return true;
    if (claims.fid && this.byFamily.has(claims.fid)) return true;
    const client = claims.client_id ? this.byClient.get(claims.client_id) : undefined;
    if (!client) return false;
    if (typeof claims.cv === 'number') {
      // A revocation is made as the integration moves to a new revision, often before any token of it is seen: one past.
      const highestIssued = Math.max(this.revisions.get(claims.client_id!) ?? -Infinity, claims.cv);
      const revision = client.revisions.find((r) => r <= highestIssued + 1);
      // By revision when both sides have one: exact whichever replica issued the token and whatever its clock said.
      if (revision !== undefined) return claims.cv < revision;
    }
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

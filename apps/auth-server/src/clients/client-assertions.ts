import { Inject, Injectable } from '@nestjs/common';
import { ASYMMETRIC_SIGNING_ALGORITHMS, BusError, REPLAY_CACHES, type ClientCredentialsRecord } from '@tessera/contracts';
import { BusUnavailableError, type Bus, type ReplayCache } from '@tessera/messaging';
import type { Clock } from '@tessera/observability';
import { BUS, CLOCK, ISSUER } from '@tessera/runtime';
import { decodeJwt, errors, jwtVerify } from 'jose';
import { ClientKeySets, ClientKeysUnavailable } from './client-key-sets.js';

/** An assertion may be valid for at most this long from now: it is a one-time credential, not a session. */
const MAX_LIFETIME_SECONDS = 600;
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * private_key_jwt (RFC 7523 §2.2 and §3, OpenID Connect Core §9): the client proves itself with a JWT it signed with
 * a key of its JWKS. We hold only public keys, so nothing we store can be used to impersonate it.
 */
@Injectable()
export class ClientAssertions {
  private readonly seen: ReplayCache;
  private readonly audiences: string[];

  constructor(
    private readonly keySets: ClientKeySets,
    @Inject(BUS) bus: Bus,
    @Inject(ISSUER) issuer: string,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // Kept longer than any assertion we accept can live, so a jti is remembered until its assertion has expired.
    this.seen = bus.replayCache(REPLAY_CACHES.clientAssertion, (MAX_LIFETIME_SECONDS + 2 * CLOCK_TOLERANCE_SECONDS) * 1000);
    // RFC 7523 §3: the audience is the authorization server; its issuer identifier, or the endpoint's URL (which
    // clients written for OpenID Connect send: the token endpoint, also at introspection and revocation).
    this.audiences = [issuer, `${issuer}/oauth/token`, `${issuer}/oauth/introspect`, `${issuer}/oauth/revoke`];
  }

  /** The client an assertion claims to be (its `iss`), to find its record when no client_id was sent; unverified. */
  claimedClient(assertion: string): string | undefined {
    try {
      const { iss } = decodeJwt(assertion);
      return typeof iss === 'string' ? iss : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Verifies the assertion for this client and takes its `jti`. Any failure is `invalid_client` with what was wrong
   * (the client's own mistake to fix: nothing secret in it); a replay cache we cannot reach is a 503.
   */
  async verify(record: ClientCredentialsRecord, assertion: string): Promise<void> {
    const clientId = record.applicationId;
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, this.keySets.keysFor(record), {
        issuer: clientId,
        subject: clientId,
        audience: this.audiences,
        algorithms: [...ASYMMETRIC_SIGNING_ALGORITHMS],
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.clock.now(),
      }));
    } catch (error) {
      throw BusError.oauth('invalid_client', `The client assertion is not valid: ${reasonOf(error)}`);
    }
    const now = Math.floor(this.clock.now().getTime() / 1000);
    if (payload.exp! > now + MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
      throw BusError.oauth('invalid_client', `The client assertion must expire within ${MAX_LIFETIME_SECONDS} seconds`);
    if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_TOLERANCE_SECONDS)
      throw BusError.oauth('invalid_client', 'The client assertion was issued in the future');
    let first: boolean;
    try {
      first = await this.seen.claimOnce(`${clientId}\n${payload.jti}`);
    } catch (error) {
      if (error instanceof BusUnavailableError)
        throw BusError.oauth('temporarily_unavailable', 'Client assertions cannot be checked for replay now; retry shortly');
      throw error;
    }
    if (!first) throw BusError.oauth('invalid_client', 'The client assertion was already used (its jti is single-use)');
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ClientKeysUnavailable) return error.message;
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the client matches its kid and algorithm';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not an asymmetric one we accept';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason === 'missing' ? 'is missing' : 'is wrong'}`;
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'the signature does not verify' : 'it is malformed';
  return 'it is malformed';
}

import { Inject, Injectable } from '@nestjs/common';
import { BusError, Subjects, type ClientAuthentication, type ClientCredentialsRecord } from '@tessera/contracts';
import { constantTimeEqual, deriveKey, hmacSha256 } from '@tessera/crypto';
import { BusClient } from '@tessera/messaging';
import type { Clock } from '@tessera/observability';
import { CLOCK, ENCRYPTION_KEY } from '@tessera/runtime';
import { FailureLimiter } from '../security/failure-limiter.js';
import { ClientAssertions } from './client-assertions.js';

const CACHE_TTL_MS = 30_000;
/**
 * Failed client authentications allowed per minute, per client id from one address, and per address over all clients
 * (many clients may share one). Never per client id alone: the id is public, so such a limit would let anyone lock an
 * integration out of its own tokens (ADR 0014).
 */
const CLIENT_ADDRESS_FAILURE_LIMIT = 10;
const ADDRESS_FAILURE_LIMIT = 100;
const FAILURE_WINDOW_MS = 60_000;
/**
 * Guessing one client's secret from many addresses is slowed instead: once a client has had FREE_CLIENT_FAILURES
 * wrong secrets in the window, every further wrong one is answered after a delay growing with the count. A correct
 * secret is never delayed.
 */
const FREE_CLIENT_FAILURES = 10;
const DELAY_STEP_MS = 100;
const MAX_DELAY_MS = 2000;

export interface AuthenticatedClient extends ClientCredentialsRecord {
  authMethod: ClientAuthentication['method'];
  /** The record came from this replica's cache, so it may predate a change another replica applied. */
  fromCache: boolean;
  /** RFC 9449: the thumbprint of the key this request's DPoP proof holds; its access tokens are bound to it. */
  dpopJkt?: string;
}

/**
 * The client record a request was authenticated with is older than the latest integration change auth-server has
 * applied (ADR 0013): nothing was issued; the caller drops the record and authenticates again.
 */
export class StaleClientRecord extends Error {
  constructor(readonly clientId: string) {
    super(`The cached record of client ${clientId} predates its latest change`);
    this.name = 'StaleClientRecord';
  }
}

/**
 * A refusal decided on a cached record (disabled, grant type or permission not allowed) is not final: the record may
 * predate a change another replica applied (a re-enable, a permission added). It is decided again on a fresh record
 * (StaleClientRecord, which the token endpoint retries), so a change is in force for refusals as for grants.
 */
export function refusal(client: AuthenticatedClient, error: BusError): Error {
  return client.fromCache ? new StaleClientRecord(client.applicationId) : error;
}

/**
 * Who the clients are. The registry owns integrations; auth-server asks it for a client's credential record over the
 * bus and caches it briefly (integration events evict it at once), so the token endpoint needs no registry round trip
 * per request.
 */
@Injectable()
export class ClientDirectory {
  private readonly pepper: Buffer;
  private readonly cache = new Map<string, { record: ClientCredentialsRecord | null; until: number }>();

  constructor(
    private readonly bus: BusClient,
    private readonly limiter: FailureLimiter,
    private readonly assertions: ClientAssertions,
    @Inject(ENCRYPTION_KEY) masterKey: Buffer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.pepper = deriveKey(masterKey, 'client-secret-pepper');
  }

  async find(applicationId: string): Promise<ClientCredentialsRecord | null> {
    return (await this.lookup(applicationId)).record;
  }

  private async lookup(applicationId: string): Promise<{ record: ClientCredentialsRecord | null; fromCache: boolean }> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(applicationId);
    if (cached && cached.until > now) return { record: cached.record, fromCache: true };
    let record: ClientCredentialsRecord | null;
    try {
      record = await this.bus.call(Subjects.registry.integration.credentials, { applicationId });
    } catch (error) {
      if (error instanceof BusError && error.code === 'not_found') record = null;
      else if (error instanceof BusError && error.code === 'validation_failed') record = null;
      else throw BusError.oauth('temporarily_unavailable', 'The client registry is not reachable; retry shortly');
    }
    this.cache.set(applicationId, { record, until: now + CACHE_TTL_MS });
    if (this.cache.size > 50_000) this.cache.delete(this.cache.keys().next().value!);
    return { record, fromCache: false };
  }

  evict(applicationId: string): void {
    this.cache.delete(applicationId);
  }

  /**
   * RFC 6749 §2.3.1 client authentication, with failures rate limited per client and per address. Every failure is
   * the same `invalid_client`, so the answer does not tell an unknown client from a wrong secret.
   */
  async authenticate(auth: ClientAuthentication, address: string): Promise<AuthenticatedClient> {
    if (auth.method === 'private_key_jwt') return this.authenticateAssertion(auth, address);
    const clientId = auth.clientId ?? '';
    const rules = [
      { key: `client:${clientId}:${address}`, limit: CLIENT_ADDRESS_FAILURE_LIMIT, windowMs: FAILURE_WINDOW_MS },
      { key: `address:${address}`, limit: ADDRESS_FAILURE_LIMIT, windowMs: FAILURE_WINDOW_MS },
    ];
    // Refused before any lookup while the limit is reached, so a locked-out address cannot make us fetch records.
    this.limiter.reserve(rules).release();
    const { record: candidate, fromCache } = await this.candidateRecord(auth, clientId);
    // From the reservation to its settlement nothing awaits: the HMAC check is synchronous, so parallel wrong secrets
    // cannot all pass the limit before the first failure is counted, and parallel correct ones never hold a place that
    // would refuse each other (a client asking for 30 tokens at once is not an attack).
    const attempt = this.limiter.reserve(rules);
    const record = candidate && this.secretMatches(candidate, auth.clientSecret!) ? candidate : null;
    if (!record) {
      attempt.fail();
      await this.slowDown(clientId);
      throw BusError.oauth('invalid_client', 'Client authentication failed');
    }
    attempt.succeed();
    const client = { ...record, authMethod: auth.method, fromCache };
    if (!record.enabled) throw refusal(client, BusError.oauth('unauthorized_client', 'This integration is disabled'));
    return client;
  }

  /**
   * private_key_jwt: the assertion names the client (`iss`, and client_id when sent, which must agree). Failures count
   * against the same limits as wrong secrets, though a signature cannot be guessed: an address sending garbage is
   * still stopped before it makes us look records up or fetch key sets.
   */
  private async authenticateAssertion(auth: ClientAuthentication, address: string): Promise<AuthenticatedClient> {
    const assertion = auth.clientAssertion ?? '';
    const clientId = auth.clientId ?? this.assertions.claimedClient(assertion) ?? '';
    const rules = [
      { key: `client:${clientId}:${address}`, limit: CLIENT_ADDRESS_FAILURE_LIMIT, windowMs: FAILURE_WINDOW_MS },
      { key: `address:${address}`, limit: ADDRESS_FAILURE_LIMIT, windowMs: FAILURE_WINDOW_MS },
    ];
    this.limiter.reserve(rules).release();
    const fail = (error: BusError) => {
      this.limiter.reserve(rules).fail();
      return error;
    };
    if (!clientId) throw fail(BusError.oauth('invalid_client', 'Client authentication failed'));
    const { record, fromCache } = await this.lookup(clientId);
    // A client that authenticates with a secret cannot switch to assertions by itself, nor the other way round.
    if (!record || record.tokenEndpointAuthMethod !== 'private_key_jwt') throw fail(BusError.oauth('invalid_client', 'Client authentication failed'));
    try {
      await this.assertions.verify(record, assertion);
    } catch (error) {
      throw error instanceof BusError && error.details?.error === 'invalid_client' ? fail(error) : error;
    }
    const client = { ...record, authMethod: auth.method, fromCache };
    if (!record.enabled) throw refusal(client, BusError.oauth('unauthorized_client', 'This integration is disabled'));
    return client;
  }

  /** The client's record, fetched afresh when the cached one's secrets do not match (it may predate a rotation). */
  private async candidateRecord(auth: ClientAuthentication, clientId: string): Promise<{ record: ClientCredentialsRecord | null; fromCache: boolean }> {
    if (!clientId || auth.method === 'none' || !auth.clientSecret) return { record: null, fromCache: false };
    const found = await this.lookup(clientId);
    if (!found.record || this.secretMatches(found.record, auth.clientSecret)) return found;
    // The cached record may predate a rotation whose event has not arrived yet: a new secret must work at once.
    this.evict(clientId);
    return this.lookup(clientId);
  }

  private async slowDown(clientId: string): Promise<void> {
    if (!clientId) return;
    const key = `client:${clientId}`;
    this.limiter.record(key);
    const excess = this.limiter.count(key, FAILURE_WINDOW_MS) - FREE_CLIENT_FAILURES;
    if (excess > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_DELAY_MS, excess * DELAY_STEP_MS)));
  }

  private secretMatches(record: ClientCredentialsRecord, secret: string): boolean {
    const presented = hmacSha256(this.pepper, secret);
    const now = this.clock.now().getTime();
    // Check every candidate (no early exit), each in constant time.
    let match = false;
    for (const candidate of record.secretHashes) {
      const live = candidate.validUntil === null || Date.parse(candidate.validUntil) > now;
      if (constantTimeEqual(presented, candidate.hash) && live) match = true;
    }
    return match;
  }
}

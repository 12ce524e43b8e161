import { Inject, Injectable } from '@nestjs/common';
import { publicJwksProblem, type ClientCredentialsRecord, type ClientJwks } from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import type { Clock } from '@tessera/observability';
import { CLOCK, EGRESS } from '@tessera/runtime';
import { createLocalJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters, type JWTVerifyGetKey } from 'jose';

/** A fetched key set is used this long, then fetched again (keys withdrawn at the client stop working). */
const MAX_AGE_MS = 5 * 60_000;
/**
 * A `kid` not in the set makes us fetch it again (the client rotated), but not more often than this per URL: an
 * assertion with a made-up `kid` must not turn us into a fetcher of the client's URL at the attacker's pace.
 */
const REFETCH_FLOOR_MS = 30_000;
const MAX_JWKS_BYTES = 64 * 1024;
const MAX_CACHED = 10_000;

type KeySet = ReturnType<typeof createLocalJWKSet>;
interface FetchedSet {
  keys: KeySet;
  fetchedAt: number;
}

/** The key set could not be had: the client's assertion cannot be checked. */
export class ClientKeysUnavailable extends Error {
  constructor(reason: string) {
    super(`The client's keys could not be fetched: ${reason}`);
    this.name = 'ClientKeysUnavailable';
  }
}

/**
 * The public keys private_key_jwt assertions are checked with: an integration's inline JWKS, or the one at its
 * `jwksUri`, fetched through the egress policy (ADR 0015), kept `MAX_AGE_MS` and fetched again on an unknown `kid`.
 */
@Injectable()
export class ClientKeySets {
  private readonly inline = new Map<string, KeySet>();
  private readonly remote = new Map<string, FetchedSet>();
  private readonly fetching = new Map<string, Promise<FetchedSet>>();

  constructor(
    @Inject(EGRESS) private readonly egress: Egress,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** jose's key lookup for this client's assertions. */
  keysFor(record: ClientCredentialsRecord): JWTVerifyGetKey {
    if (record.jwks) {
      const key = `${record.applicationId}:${record.revision}`;
      let keys = this.inline.get(key);
      if (!keys) this.remember(this.inline, key, (keys = createLocalJWKSet(record.jwks as never)));
      return keys;
    }
    const uri = record.jwksUri;
    if (!uri) return () => Promise.reject(new ClientKeysUnavailable('the integration has no keys'));
    return async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
      const now = this.clock.now().getTime();
      let set = this.remote.get(uri);
      if (!set || now - set.fetchedAt > MAX_AGE_MS) set = await this.fetch(uri);
      try {
        return await set.keys(header, token);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey) || now - set.fetchedAt < REFETCH_FLOOR_MS) throw error;
        return (await this.fetch(uri)).keys(header, token);
      }
    };
  }

  /** One fetch per URL at a time: a burst of assertions waits for the same answer. */
  private fetch(uri: string): Promise<FetchedSet> {
    let pending = this.fetching.get(uri);
    if (!pending) {
      pending = this.download(uri).finally(() => this.fetching.delete(uri));
      this.fetching.set(uri, pending);
    }
    return pending;
  }

  private async download(uri: string): Promise<FetchedSet> {
    let jwks: ClientJwks;
    try {
      const response = await this.egress.fetch(
        uri,
        { headers: { accept: 'application/json, application/jwk-set+json' } },
        { maxResponseBytes: MAX_JWKS_BYTES },
      );
      if (!response.ok) throw new Error(`${uri} answered ${response.status}`);
      jwks = (await response.json()) as ClientJwks;
    } catch (error) {
      throw new ClientKeysUnavailable(error instanceof Error ? error.message : String(error));
    }
    const problem = publicJwksProblem(jwks);
    if (problem) throw new ClientKeysUnavailable(`the set at ${uri} ${problem}`);
    const set = { keys: createLocalJWKSet(jwks as never), fetchedAt: this.clock.now().getTime() };
    this.remember(this.remote, uri, set);
    return set;
  }

  private remember<T>(cache: Map<string, T>, key: string, value: T): void {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
}

import { urlUnderBase } from '@tessera/egress';
import { BusError, Events, Subjects, type AccessTokenReply, type EventEnvelope } from '@tessera/contracts';
import { BusClient, type Bus, type Stoppable } from '@tessera/messaging';
import { sendWithRefreshOn401 } from './refresh-on-401.js';
import { RejectionGate } from './rejection-gate.js';

/** How many delivered event ids `onTokenEvent` remembers to drop redeliveries (far more than a restart redelivers). */
const DELIVERED_IDS_KEPT = 10_000;

/** The broker's token events, for `onTokenEvent`. */
export const TOKEN_EVENTS = [
  Events.outboundTokenRefreshed,
  Events.outboundTokenRefreshFailed,
  Events.outboundTokenRecovered,
  Events.outboundTokenRevoked,
  Events.outboundTokenAuthorized,
] as const;

export interface BrokerClientOptions {
  bus: Bus;
  /** The embedding service's name: its durable consumer for token events is `<service>-token-events`. */
  service: string;
  timeoutMs?: number;
  /** How long a token is reused without asking the broker again (it is never used past its expiry). */
  cacheMs?: number;
}

/** An outbound token by its name, or by its id (what a platform instance's record holds). */
export type TokenRef = { name: string } | { id: string };

/** The cache and gate key of a token reference: an id and a name cannot be taken for one another. */
export function tokenKey(ref: TokenRef): string {
  return 'id' in ref ? `id:${ref.id}` : ref.name;
}

/**
 * Outbound tokens for a service (Servicely's apitokenauth): `tokenFor(name)` asks the broker over NATS request/reply
 * for a fresh token; `fetchWith` applies it and, when the API answers 401, follows the same rule as the gateway's
 * proxy (`sendWithRefreshOn401`): it tells the broker which token was refused and retries once.
 */
export class BrokerClient {
  private readonly cache = new Map<string, { token: AccessTokenReply; until: number }>();
  /** Tokens the broker said cannot be had until a retry is due (its Retry-After): asked again only then. */
  private readonly backingOff = new Map<string, { error: BusError; until: number }>();
  private readonly gate = new RejectionGate();

  private readonly bus: BusClient;

  constructor(private readonly options: BrokerClientOptions) {
    this.bus = new BusClient(options.bus, options.timeoutMs ?? 10_000);
  }

  private async ask(ref: TokenRef, rejectedTokenHash?: string): Promise<AccessTokenReply> {
    const key = tokenKey(ref);
    const waiting = this.backingOff.get(key);
    if (waiting && waiting.until > Date.now()) throw waiting.error;
    let token: AccessTokenReply;
    try {
      token = await this.bus.call(Subjects.broker.token.access, { ...ref, ...(rejectedTokenHash ? { rejectedTokenHash } : {}) });
    } catch (error) {
      const retryAfterSeconds = error instanceof BusError && error.code === 'unavailable' ? error.details?.retryAfterSeconds : undefined;
      // The broker shares the token's backoff with every caller: so does this client, instead of asking in a loop.
      if (typeof retryAfterSeconds === 'number') this.backingOff.set(key, { error: error as BusError, until: Date.now() + retryAfterSeconds * 1000 });
      throw error;
    }
    this.backingOff.delete(key);
    const expiry = token.expires_at ? Date.parse(token.expires_at) - 5_000 : Infinity;
    this.cache.set(key, { token, until: Math.min(Date.now() + (this.options.cacheMs ?? 30_000), expiry) });
    return token;
  }

  private cached(ref: TokenRef): Promise<AccessTokenReply> {
    const cached = this.cache.get(tokenKey(ref));
    if (cached && cached.until > Date.now()) return Promise.resolve(cached.token);
    return this.ask(ref);
  }

  /** A usable access token (`{access_token, token_type, expires_at, scope}`); BusError when it cannot be had. */
  tokenFor(name: string): Promise<AccessTokenReply> {
    return this.cached({ name });
  }

  /**
   * fetch() with the token applied. A 401 triggers one refresh and one retry; a body that can only be read once (a
   * stream) cannot be sent twice, so then the 401 is returned as it is.
   */
  fetchWith(name: string, url: string | URL, init: RequestInit = {}): Promise<Response> {
    return this.fetchWithToken({ name }, url, init);
  }

  private async fetchWithToken(ref: TokenRef, url: string | URL, init: RequestInit): Promise<Response> {
    const send = (token: AccessTokenReply) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `${token.token_type} ${token.access_token}`);
      return fetch(url, { ...init, headers });
    };
    const token = await this.cached(ref);
    if (init.body instanceof ReadableStream) return send(token);
    const key = tokenKey(ref);
    const { response } = await sendWithRefreshOn401({
      gate: this.gate,
      key,
      token,
      send,
      discard: async (answer) => {
        await answer.body?.cancel();
        // The refused token is not served from the cache again.
        this.cache.delete(key);
      },
      access: (rejectedTokenHash) => this.ask(ref, rejectedTokenHash),
    });
    return response;
  }

  /**
   * P2PI: fetch() another platform instance's API as this platform — `path` relative to the instance's baseUrl —
   * with the OAuth token held for it (same refresh-on-401 rule as `fetchWith`).
   */
  async fetchInstance(instanceName: string, path: string, init: RequestInit = {}): Promise<Response> {
    const connection = await this.bus.call(Subjects.registry.instance.connection, { name: instanceName });
    if (connection.auth.type !== 'oauth' || !connection.tokenId)
      throw BusError.conflict(`Instance "${instanceName}" holds no OAuth token; run its "request" flow first`);
    // The token is the instance's: the path may not walk the call to another path or host (ADR 0015).
    const [rawPath, ...query] = path.replace(/^\/+/, '').split('?');
    // Asked for by the id the record holds: one round trip to the broker, not a look-up of its name first.
    return this.fetchWithToken({ id: connection.tokenId }, urlUnderBase(connection.baseUrl, rawPath, query.length ? `?${query.join('?')}` : ''), init);
  }

  /**
   * Token events (refreshed, refresh_failed, recovered, revoked, authorized) on a durable JetStream consumer: events
   * published while the service was down arrive when it comes back. A handler that throws gets the event again.
   */
  onTokenEvent(handler: (event: EventEnvelope) => Promise<void> | void): Promise<Stoppable> {
    // JetStream redelivers events whose ack was in flight when NATS went away; the handler sees each id once.
    const delivered = new Set<string>();
    // The five subjects (one durable consumer each): NATS 2.9 takes one filter per consumer, and
    // `tessera.events.broker.>` also carries the broker's audit lines.
    return this.options.bus.consume({ durable: `${this.options.service}-token-events`, subjects: [...TOKEN_EVENTS] }, async (event) => {
      if (typeof (event.data as { tokenId?: unknown })?.tokenId !== 'string') return;
      // A revoked or failed token must not be served from this client's cache any more.
      const name = (event.data as { name?: string })?.name;
      // A token is cached under its name or (asked for by a platform instance's record) its id.
      const keys = [...(name ? [name] : []), tokenKey({ id: (event.data as { tokenId: string }).tokenId })];
      if (event.type !== Events.outboundTokenRefreshed && event.type !== Events.outboundTokenAuthorized) for (const key of keys) this.cache.delete(key);
      // A fresh token ends any wait the broker asked for.
      if (event.type !== Events.outboundTokenRefreshFailed) for (const key of keys) this.backingOff.delete(key);
      if (delivered.has(event.id)) return;
      await handler(event);
      delivered.add(event.id);
      if (delivered.size > DELIVERED_IDS_KEPT) delivered.delete(delivered.values().next().value!);
    });
  }
}

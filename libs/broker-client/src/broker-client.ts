import { urlUnderBase } from '@tessera/egress';
import { BusError, Events, Subjects, type AccessTokenReply, type EventEnvelope } from '@tessera/contracts';
import { BusClient, type Bus, type Stoppable } from '@tessera/messaging';
import { createHash } from 'node:crypto';

/** How many delivered event ids `onTokenEvent` remembers to drop redeliveries (far more than a restart redelivers). */
const DELIVERED_IDS_KEPT = 10_000;

/** The broker's token events, for `onTokenEvent`. */
export const TOKEN_EVENTS = [Events.outboundTokenRefreshed, Events.outboundTokenRefreshFailed, Events.outboundTokenRecovered, Events.outboundTokenRevoked, Events.outboundTokenAuthorized] as const;

export interface BrokerClientOptions {
  bus: Bus;
  /** The embedding service's name: its durable consumer for token events is `<service>-token-events`. */
  service: string;
  timeoutMs?: number;
  /** How long a token is reused without asking the broker again (it is never used past its expiry). */
  cacheMs?: number;
}

function hash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

/**
 * Outbound tokens for a service (Servicely's apitokenauth): `tokenFor(name)` asks the broker over NATS request/reply
 * for a fresh token; `fetchWith` applies it and, when the API answers 401, tells the broker which token was refused
 * (by hash, so every caller reporting the same token shares one refresh) and retries once.
 */
export class BrokerClient {
  private readonly cache = new Map<string, { token: AccessTokenReply; until: number }>();
  /** Tokens the broker said cannot be had until a retry is due (its Retry-After): asked again only then. */
  private readonly backingOff = new Map<string, { error: BusError; until: number }>();

  private readonly bus: BusClient;

  constructor(private readonly options: BrokerClientOptions) {
    this.bus = new BusClient(options.bus, options.timeoutMs ?? 10_000);
  }

  private async ask(payload: { name: string; rejectedTokenHash?: string }): Promise<AccessTokenReply> {
    const waiting = this.backingOff.get(payload.name);
    if (waiting && waiting.until > Date.now()) throw waiting.error;
    let token: AccessTokenReply;
    try {
      token = await this.bus.call(Subjects.broker.token.access, payload);
    } catch (error) {
      const retryAfterSeconds = error instanceof BusError && error.code === 'unavailable' ? error.details?.retryAfterSeconds : undefined;
      // The broker shares the token's backoff with every caller: so does this client, instead of asking in a loop.
      if (typeof retryAfterSeconds === 'number') this.backingOff.set(payload.name, { error: error as BusError, until: Date.now() + retryAfterSeconds * 1000 });
      throw error;
    }
    this.backingOff.delete(payload.name);
    const expiry = token.expires_at ? Date.parse(token.expires_at) - 5_000 : Infinity;
    this.cache.set(payload.name, { token, until: Math.min(Date.now() + (this.options.cacheMs ?? 30_000), expiry) });
    return token;
  }

  /** A usable access token (`{access_token, token_type, expires_at, scope}`); BusError when it cannot be had. */
  async tokenFor(name: string): Promise<AccessTokenReply> {
    const cached = this.cache.get(name);
    if (cached && cached.until > Date.now()) return cached.token;
    return this.ask({ name });
  }

  /**
   * fetch() with the token applied. A 401 triggers one refresh and one retry; a body that can only be read once (a
   * stream) cannot be sent twice, so then the 401 is returned as it is.
   */
  async fetchWith(name: string, url: string | URL, init: RequestInit = {}): Promise<Response> {
    const attempt = (token: AccessTokenReply) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `${token.token_type} ${token.access_token}`);
      return fetch(url, { ...init, headers });
    };
    const token = await this.tokenFor(name);
    const response = await attempt(token);
    if (response.status !== 401 || init.body instanceof ReadableStream) return response;
    await response.body?.cancel();
    this.cache.delete(name);
    return attempt(await this.ask({ name, rejectedTokenHash: hash(token.access_token) }));
  }

  /**
   * P2PI: fetch() another platform instance's API as this platform — `path` relative to the instance's baseUrl —
   * with the OAuth token held for it (same refresh-on-401 rule as `fetchWith`).
   */
  async fetchInstance(instanceName: string, path: string, init: RequestInit = {}): Promise<Response> {
    const connection = await this.bus.call(Subjects.registry.instance.connection, { name: instanceName });
    if (connection.auth.type !== 'oauth' || !connection.tokenId) throw BusError.conflict(`Instance "${instanceName}" holds no OAuth token; run its "request" flow first`);
    const token = await this.bus.call(Subjects.broker.token.get, { id: connection.tokenId });
    // The token is the instance's: the path may not walk the call to another path or host (ADR 0015).
    const [rawPath, ...query] = path.replace(/^\/+/, '').split('?');
    return this.fetchWith(token.name, urlUnderBase(connection.baseUrl, rawPath, query.length ? `?${query.join('?')}` : ''), init);
  }

  /**
   * Token events (refreshed, refresh_failed, recovered, revoked, authorized) on a durable JetStream consumer: events
   * published while the service was down arrive when it comes back. A handler that throws gets the event again.
   */
  onTokenEvent(handler: (event: EventEnvelope) => Promise<void> | void): Promise<Stoppable> {
    // JetStream redelivers events whose ack was in flight when NATS went away; the handler sees each id once.
    const delivered = new Set<string>();
    // The five subjects (one durable consumer each), not `tessera.events.token.>`, which also carries every access token
    // the auth server issues. token.revoked is shared with the auth server's revocations; those name no outbound token.
    return this.options.bus.consume({ durable: `${this.options.service}-token-events`, subjects: [...TOKEN_EVENTS] }, async (event) => {
      if (typeof (event.data as { tokenId?: unknown })?.tokenId !== 'string') return;
      // A revoked or failed token must not be served from this client's cache any more.
      const name = (event.data as { name?: string })?.name;
      if (name && event.type !== Events.outboundTokenRefreshed && event.type !== Events.outboundTokenAuthorized) this.cache.delete(name);
      // A fresh token ends any wait the broker asked for.
      if (name && event.type !== Events.outboundTokenRefreshFailed) this.backingOff.delete(name);
      if (delivered.has(event.id)) return;
      await handler(event);
      delivered.add(event.id);
      if (delivered.size > DELIVERED_IDS_KEPT) delivered.delete(delivered.values().next().value!);
    });
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** How the fake provider misbehaves; every field can be changed while it runs. */
export interface FakeProviderBehaviour {
  /** Lifetime it grants, in seconds (or what it puts in expires_in). */
  expiresIn: number;
  /** Send expires_in as a string ("3600"). */
  expiresInAsString: boolean;
  /** Answer `{ data: { auth: { token, renew, ttl } } }` instead of RFC 6749 field names. */
  nested: boolean;
  /** Issue no new refresh token on refresh (the client must keep the old one). */
  omitRefreshTokenOnRefresh: boolean;
  /** The parameter name it expects the refresh grant in (`refresh_grant_type` for the quirky APIs). */
  refreshGrantParam: string;
  /** Delay before each token response. */
  delayMs: number;
  /** Token requests get no answer at all until `release()` (or `stop()`): a provider that hangs. */
  hang: boolean;
  /** The next `count` token requests get this answer instead of a token. */
  failNext?: { count: number; status: number; body: string };
  /** Keep every token request in `tokenRequests` (off for benchmarks with hundreds of thousands of them). */
  recordRequests: boolean;
  /** The API takes its token in this header (lower case), as the value alone, instead of `Authorization: Bearer` (Shopify's way). */
  apiTokenHeader?: string;
  /** Fields added to every token answer (Salesforce's instance_url, Pipedrive's api_domain). */
  answerExtras?: Record<string, unknown>;
  /**
   * private_key_jwt and jwt_bearer: where it fetches the client's public keys (a JWKS URL, as a real provider
   * registers it). With it, token and revocation requests must authenticate with a client assertion (RFC 7523 §2.2)
   * unless they are a jwt_bearer grant, whose assertion is checked against the same keys.
   */
  jwksUrl?: string;
  /** The aud it wants in assertions; absent: the URL of the endpoint called. */
  assertionAudience?: string;
}

/** Per token-endpoint path: how often it was called and the shortest gap between two calls. */
export interface PathStats {
  count: number;
  last: number;
  minGapMs: number;
}

export interface RecordedRequest {
  path: string;
  params: Record<string, string>;
  authorization?: string;
  /** The W3C trace context the caller sent, if any. */
  traceparent?: string;
}

const DEFAULTS: FakeProviderBehaviour = {
  expiresIn: 3600,
  expiresInAsString: false,
  nested: false,
  omitRefreshTokenOnRefresh: false,
  refreshGrantParam: 'grant_type',
  delayMs: 0,
  hang: false,
  recordRequests: true,
};

/**
 * A small OAuth 2 provider with the quirks real ones have, plus a protected API (`/api/*`) that accepts only the
 * tokens it issued. Token endpoint: POST /token or /token/<account>; authorize (auto-consent): GET /authorize[/<account>];
 * revocation: POST /revoke. Anything can be made slow or failing through `behaviour`.
 */
export class FakeOAuthProvider {
  readonly behaviour: FakeProviderBehaviour;
  readonly tokenRequests: RecordedRequest[] = [];
  readonly pathStats = new Map<string, PathStats>();
  readonly revocations: RecordedRequest[] = [];
  readonly apiCalls: { path: string; authorization?: string; body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  /** Live access tokens → expiry (ms epoch); refresh tokens → still usable. */
  readonly accessTokens = new Map<string, number>();
  readonly refreshTokens = new Map<string, boolean>();
  /** Every assertion it accepted (client assertions and jwt_bearer grants), as verified. */
  readonly assertions: { kind: 'client' | 'grant'; header: Record<string, unknown>; payload: JWTPayload }[] = [];
  private readonly seenJtis = new Set<string>();
  private keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  private readonly codes = new Map<string, string>();
  private held: (() => void)[] = [];
  private counter = 0;
  private server?: Server;
  url = '';

  constructor(behaviour: Partial<FakeProviderBehaviour> = {}) {
    this.behaviour = { ...DEFAULTS, ...behaviour };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.writeHead(500).end()));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Ends a hang: the requests held so far are answered (as the behaviour then says) and new ones are not held. */
  release(): void {
    this.behaviour.hang = false;
    for (const resume of this.held.splice(0)) resume();
  }

  /** Token requests being held by a hang right now. */
  get hanging(): number {
    return this.held.length;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Makes the API refuse a token it issued (as if the provider revoked it behind our back). */
  invalidate(accessToken: string): void {
    this.accessTokens.delete(accessToken);
  }

  /**
   * Verifies an assertion with jose against the JWKS fetched from `jwksUrl` — an independent check of what the broker
   * signs: signature, asymmetric algorithm, aud, exp, and a jti it has not seen. Answers the verified claims, or why not.
   */
  private async verifyAssertion(kind: 'client' | 'grant', assertion: string, endpoint: string): Promise<JWTPayload | string> {
    const url = this.behaviour.jwksUrl;
    if (!url) return 'no JWKS URL registered';
    let keys = this.keySets.get(url);
    // No cooldown: a rotated key's new kid is fetched at once, as providers that follow OpenID Connect do.
    if (!keys) this.keySets.set(url, (keys = createRemoteJWKSet(new URL(url), { cooldownDuration: 0, cacheMaxAge: 60_000 })));
    try {
      const { payload, protectedHeader } = await jwtVerify(assertion, keys, {
        audience: this.behaviour.assertionAudience ?? endpoint,
        algorithms: ['ES256', 'RS256', 'PS256'],
        requiredClaims: ['exp', 'iat', 'jti', 'iss'],
        maxTokenAge: 600,
      });
      if (this.seenJtis.has(payload.jti!)) return 'jti already used';
      this.seenJtis.add(payload.jti!);
      this.assertions.push({ kind, header: protectedHeader as Record<string, unknown>, payload });
      return payload;
    } catch (error) {
      return (error as Error).message;
    }
  }

  private issue(withRefresh: boolean) {
    const n = ++this.counter;
    const accessToken = `at-${n}-${Math.random().toString(36).slice(2)}`;
    const refreshToken = withRefresh ? `rt-${n}-${Math.random().toString(36).slice(2)}` : undefined;
    this.accessTokens.set(accessToken, Date.now() + this.behaviour.expiresIn * 1000);
    if (refreshToken) this.refreshTokens.set(refreshToken, true);
    const expiresIn = this.behaviour.expiresInAsString ? String(this.behaviour.expiresIn) : this.behaviour.expiresIn;
    if (this.behaviour.nested)
      return { data: { auth: { token: accessToken, ...(refreshToken ? { renew: refreshToken } : {}), ttl: expiresIn } }, token_type: 'bearer' };
    return {
      ...this.behaviour.answerExtras,
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: expiresIn,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: 'read write',
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

    if (url.pathname.startsWith('/api/')) {
      const header = this.behaviour.apiTokenHeader;
      const token = header ? (req.headers[header] as string | undefined) : req.headers.authorization?.replace(/^Bearer /i, '');
      this.apiCalls.push({ path: url.pathname + url.search, authorization: req.headers.authorization, body, headers: req.headers });
      const expiry = token ? this.accessTokens.get(token) : undefined;
      if (!expiry || expiry < Date.now()) return json(401, { error: 'invalid_token' });
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'fake' });
      return void res.end(JSON.stringify({ ok: true, path: url.pathname, query: url.search, method: req.method, body }));
    }
    if (req.method === 'GET' && url.pathname.startsWith('/authorize')) {
      const code = `code-${++this.counter}`;
      this.codes.set(code, url.searchParams.get('code_challenge') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    const params = Object.fromEntries(new URLSearchParams(body));
    const recorded = { path: url.pathname, params, authorization: req.headers.authorization, traceparent: req.headers.traceparent as string | undefined };
    const endpoint = `${this.url}${url.pathname}`;
    const jwtBearer = params.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    let scope: string | undefined;
    if (this.behaviour.jwksUrl && !jwtBearer) {
      if (params.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !params.client_assertion || req.headers.authorization)
        return json(401, { error: 'invalid_client', error_description: 'private_key_jwt expected' });
      const claims = await this.verifyAssertion('client', params.client_assertion, endpoint);
      if (typeof claims === 'string') return json(401, { error: 'invalid_client', error_description: claims });
      if (claims.iss !== params.client_id || claims.sub !== params.client_id)
        return json(401, { error: 'invalid_client', error_description: 'iss and sub must be the client id' });
    }
    if (jwtBearer) {
      const claims = await this.verifyAssertion('grant', params.assertion ?? '', endpoint);
      if (typeof claims === 'string') return json(400, { error: 'invalid_grant', error_description: claims });
      scope = typeof claims.scope === 'string' ? claims.scope : params.scope;
    }
    if (url.pathname === '/revoke') {
      this.revocations.push(recorded);
      this.accessTokens.delete(params.token);
      this.refreshTokens.delete(params.token);
      return void res.writeHead(200).end();
    }
    if (!url.pathname.startsWith('/token')) return json(404, { error: 'not_found' });
    if (this.behaviour.recordRequests) this.tokenRequests.push(recorded);
    const now = Date.now();
    const stats = this.pathStats.get(url.pathname);
    if (stats) {
      stats.minGapMs = Math.min(stats.minGapMs, now - stats.last);
      stats.count++;
      stats.last = now;
    } else {
      this.pathStats.set(url.pathname, { count: 1, last: now, minGapMs: Infinity });
    }
    if (this.behaviour.hang) await new Promise<void>((resume) => this.held.push(resume));
    if (this.behaviour.delayMs) await new Promise((r) => setTimeout(r, this.behaviour.delayMs));
    const failure = this.behaviour.failNext;
    if (failure && failure.count > 0) {
      failure.count--;
      return void res.writeHead(failure.status, { 'content-type': 'application/json' }).end(failure.body);
    }
    const grant = params[this.behaviour.refreshGrantParam] === 'refresh_token' ? 'refresh_token' : params.grant_type;
    switch (grant) {
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return json(200, { ...this.issue(false), scope: scope ?? '' });
      case 'client_credentials':
        return json(200, this.issue(false));
      case 'password':
        return params.username && params.password === 'correct horse'
          ? json(200, this.issue(true))
          : json(400, { error: 'invalid_grant', error_description: 'bad credentials' });
      case 'authorization_code':
        if (!this.codes.delete(params.code)) return json(400, { error: 'invalid_grant', error_description: 'unknown code' });
        return json(200, this.issue(true));
      case 'refresh_token':
        if (!this.refreshTokens.get(params.refresh_token)) return json(400, { error: 'invalid_grant', error_description: 'refresh token is not valid' });
        if (!this.behaviour.omitRefreshTokenOnRefresh) this.refreshTokens.delete(params.refresh_token);
        return json(200, this.issue(!this.behaviour.omitRefreshTokenOnRefresh));
      default:
        return json(400, { error: 'unsupported_grant_type' });
    }
  }
}

import type { Egress } from '@tessera/egress';
import OAuth2Strategy from 'passport-oauth2';
import type { Request } from 'express';
import { withLiteralScopeSeparator } from './scope-param.js';
import { TokenEndpointError } from './token-endpoint-error.js';
import { parseTokenBody, postToEndpoint, type ClientCredentials, type EndpointCall } from './token-endpoint.js';
import { readPath } from './token-response.js';

/** Everything about a provider the authorization-code flow needs, with its URLs already filled from the token's variables. */
export interface AuthorizationCodeProvider {
  id: string;
  version: string;
  authorizationUrl: string;
  tokenUrl: string;
  client: ClientCredentials;
  endpoint: Pick<EndpointCall, 'format' | 'okFlag'>;
  pkce: boolean;
  scopeSeparator: string;
  authorizationParams: Record<string, string>;
  tokenParams: Record<string, string>;
  accessTokenPath: string;
  timeoutMs: number;
}

/** Per-request hooks our state store delegates to: where the state and PKCE verifier are kept (Postgres). */
export interface StateHooks {
  /** Persists a new authorization request and returns its state value. */
  save(codeVerifier: string | undefined): Promise<string>;
  /** Consumes a state once: the verifier (PKCE), true (no PKCE), or a reason it is refused. */
  consume(state: string): Promise<{ ok: true; codeVerifier?: string } | { ok: false; reason: string }>;
}

interface BrokerRequest {
  query: Record<string, string>;
  body: Record<string, never>;
  hooks: StateHooks;
}

/**
 * passport-oauth2's state store contract (arity 5 and 4 select the PKCE-aware variants). It holds no state itself:
 * states live in the broker's database so any replica can complete a flow another one started.
 */
const databaseStateStore = {
  store(req: BrokerRequest, verifier: string | undefined, _state: unknown, _meta: unknown, callback: (err: Error | null, state?: string) => void) {
    req.hooks.save(verifier).then((state) => callback(null, state), callback);
  },
  verify(req: BrokerRequest, state: string, _meta: unknown, callback: (err: Error | null, ok: string | boolean, info?: unknown) => void) {
    req.hooks.consume(state).then(
      (result) => (result.ok ? callback(null, result.codeVerifier ?? true) : callback(null, false, { message: result.reason })),
      (error) => callback(error, false),
    );
  },
};

export interface ExchangedToken {
  /** The whole token response, for our own mapping (paths, expires_in quirks). */
  response: unknown;
}

export class StateRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StateRefusedError';
  }
}

/**
 * The authorization redirect and the code exchange, done by passport-oauth2 with one strategy per provider (rebuilt
 * when the provider's record, and so its version, changes). Its HTTP goes through our endpoint client so timeouts,
 * the client authentication method and error classification match the other grants.
 */
export class AuthorizationCodeClient {
  private readonly strategies = new Map<string, OAuth2Strategy>();

  constructor(
    private readonly redirectUri: string,
    private readonly egress: Egress,
    private readonly maxStrategies = 1000,
  ) {}

  private strategyFor(provider: AuthorizationCodeProvider): OAuth2Strategy {
    const key = `${provider.id}:${provider.version}:${provider.authorizationUrl}:${provider.tokenUrl}`;
    let strategy = this.strategies.get(key);
    if (strategy) return strategy;
    strategy = new OAuth2Strategy(
      {
        authorizationURL: provider.authorizationUrl,
        tokenURL: provider.tokenUrl,
        clientID: provider.client.clientId,
        clientSecret: provider.client.clientSecret,
        callbackURL: this.redirectUri,
        scopeSeparator: provider.scopeSeparator,
        pkce: provider.pkce ? 'S256' : false,
        state: true,
        store: databaseStateStore as unknown as OAuth2Strategy.StateStore,
        skipUserProfile: true,
      } as OAuth2Strategy.StrategyOptions,
      // node-oauth moves refresh_token out of the results into its own argument; put it back for our mapping.
      (_at: string, refreshToken: string | undefined, results: object, _profile: unknown, done: OAuth2Strategy.VerifyCallback) =>
        done(null, { response: { ...results, ...(refreshToken ? { refresh_token: refreshToken } : {}) } } as Express.User),
    );
    strategy.authorizationParams = (options: { prompt?: string }) => ({
      ...provider.authorizationParams,
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    strategy.tokenParams = () => ({ ...provider.tokenParams });
    this.routeTokenRequests(strategy, provider);
    if (this.strategies.size >= this.maxStrategies) this.strategies.delete(this.strategies.keys().next().value!);
    this.strategies.set(key, strategy);
    return strategy;
  }

  /**
   * node-oauth's own HTTP client has no timeout and always sends the secret in the body; route its token request
   * through ours. A nested access token is lifted to the top level, because passport refuses a response without
   * `access_token` before our mapping ever sees it.
   */
  private routeTokenRequests(strategy: OAuth2Strategy, provider: AuthorizationCodeProvider): void {
    const oauth2 = (strategy as unknown as { _oauth2: { _request: unknown } })._oauth2;
    oauth2._request = (
      _method: string,
      url: string,
      _headers: unknown,
      postBody: string,
      _accessToken: unknown,
      callback: (err: unknown, data?: string, response?: unknown) => void,
    ) => {
      const params = Object.fromEntries(new URLSearchParams(postBody));
      postToEndpoint({ url, params, client: provider.client, timeoutMs: provider.timeoutMs, egress: this.egress, ...provider.endpoint }).then(
        (text) => {
          const body = parseTokenBody(text) as Record<string, unknown>;
          if (provider.accessTokenPath !== 'access_token' && body && typeof body === 'object') body.access_token = readPath(body, provider.accessTokenPath);
          callback(null, JSON.stringify(body), { statusCode: 200 });
        },
        (error) => callback(error),
      );
    };
  }

  private run<T>(strategy: OAuth2Strategy, req: BrokerRequest, options: object, onRedirect: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const s = Object.create(strategy) as OAuth2Strategy & Record<string, unknown>;
      s.redirect = (location: string) => (onRedirect ? resolve(location as T) : reject(new Error('unexpected redirect')));
      s.success = (user: unknown) => resolve(user as T);
      s.fail = (info: { message?: string } | undefined) => reject(new StateRefusedError(info?.message ?? 'the authorization was refused'));
      s.error = (error: Error & { oauthError?: unknown }) => reject(error.oauthError instanceof TokenEndpointError ? error.oauthError : error);
      s.pass = () => reject(new Error('unexpected pass'));
      s.authenticate(req as unknown as Request, options);
    });
  }

  /** The provider's authorization URL for one attempt: state and PKCE verifier are saved through `hooks`. */
  async authorizationUrl(provider: AuthorizationCodeProvider, request: { scopes: string[]; prompt?: string }, hooks: StateHooks): Promise<string> {
    const location = await this.run<string>(
      this.strategyFor(provider),
      { query: {}, body: {}, hooks },
      { scope: request.scopes, prompt: request.prompt },
      true,
    );
    return withLiteralScopeSeparator(location, request.scopes, provider.scopeSeparator);
  }

  /** Verifies the state (once) and exchanges the code; rejects with StateRefusedError or TokenEndpointError. */
  exchange(provider: AuthorizationCodeProvider, callback: { code: string; state: string }, hooks: StateHooks): Promise<ExchangedToken> {
    return this.run<ExchangedToken>(this.strategyFor(provider), { query: { code: callback.code, state: callback.state }, body: {}, hooks }, {}, false);
  }
}

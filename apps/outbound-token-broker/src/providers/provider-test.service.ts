import { Inject, Injectable } from '@nestjs/common';
import { BusError, type ProviderTestReply, type ProviderTestStep, type TestProviderFields } from '@tessera/contracts';
import { egressCause, DEFAULT_LIMITS, EgressRefusedError, type Egress } from '@tessera/egress';
import { AuditTrail } from '@tessera/persistence';
import { BUS_TIMEOUT_MS, EGRESS, ISSUER } from '@tessera/runtime';
import { randomBytes } from 'node:crypto';
import { AuthorizationCodeClient, type StateHooks } from '../oauth/authorization-code-client.js';
import { clientCredentialsParams, grantClient, jwtBearerParams, scopeParam } from '../oauth/grants.js';
import { codeFlowProvider, resolveProvider, type ResolvedProvider } from '../oauth/resolved-provider.js';
import { REDACTED, redactSecrets } from '@tessera/observability';
import { endpointRequest, parseTokenBody, sentSecrets, withClientAssertion } from '../oauth/token-endpoint.js';
import { classifyHttpFailure } from '../oauth/token-endpoint-error.js';
import { mapTokenResponse, readPath, TokenResponseError } from '../oauth/token-response.js';
import type { Provider } from './provider.entity.js';
import { ProvidersService } from './providers.service.js';

export { REDACTED } from '@tessera/observability';
/** Keys whose values are credentials wherever they appear in an answer; token_type (and its hint) are not. */
const SECRET_KEY = /token|secret|password|assertion|credential/i;
const KEPT_KEYS = new Set(['token_type', 'token_type_hint']);
/** The code the token endpoint is asked to redeem: no provider issued it, so a real one refuses it with invalid_grant. */
const BOGUS_CODE = 'tessera-provider-test-not-a-real-code';
/** OAuth errors to a bogus code that mean the real exchange would fail too (the client, not the code, is refused). */
const CLIENT_REFUSALS = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type']);
/** RFC 6749 §5.2 errors that refuse the code itself: what a token endpoint answers to a code it never issued. */
const CODE_REFUSALS = new Set(['invalid_grant', 'invalid_request', 'invalid_scope']);
/** Kept back from the bus timeout so a slow provider is reported as one, not as the gateway's 503. */
const BUS_MARGIN_MS = 750;
const MAX_TEXT = 2000;

/**
 * The answer with every token value replaced; `secrets` collects what was replaced so no copy of it survives, and
 * starts with what we sent (client secret, password, code verifier) in case the provider echoes it back.
 */
export function redactAnswer(body: unknown, paths: string[] = [], sent: readonly string[] = []): unknown {
  const secrets = new Set<string>(sent.filter(Boolean));
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, k)]));
    }
    if (key !== undefined && !KEPT_KEYS.has(key) && SECRET_KEY.test(key) && (typeof value === 'string' || typeof value === 'number') && value !== '') {
      secrets.add(String(value));
      return REDACTED;
    }
    return value;
  };
  // Values at the provider's own token paths (`data.auth.token`, `renew`) are secrets whatever their key is called.
  for (const path of paths) {
    const value = readPath(body, path);
    if (typeof value === 'string' && value) secrets.add(value);
  }
  let redacted = walk(body);
  if (!secrets.size) return redacted;
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string')
      return redactSecrets(
        [...secrets].reduce((text, secret) => text.split(secret).join(REDACTED), value),
        [...secrets],
      );
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  redacted = scrub(redacted);
  return redacted;
}

interface HttpResult {
  status: number | null;
  text: string;
  location: string | null;
  ms: number;
  networkError?: string;
}

function describeNetworkError(thrown: unknown, timeoutMs: number): string {
  const error = egressCause(thrown, DEFAULT_LIMITS);
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `did not answer within ${timeoutMs} ms`;
  // The same words whatever is (or is not) listening there: the test must not become a port scanner.
  if (error instanceof EgressRefusedError) return `is refused: ${error.message}`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return `unreachable: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}`;
}

async function send(
  egress: Egress,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | URLSearchParams },
  timeoutMs: number,
): Promise<HttpResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const response = await egress.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { status: response.status, text, location: response.headers.get('location'), ms: ms() };
  } catch (error) {
    return { status: null, text: '', location: null, ms: ms(), networkError: describeNetworkError(error, timeoutMs) };
  }
}

/** The answer as JSON (or form encoding); an HTML page or other text is shown cut short. */
function parsedAnswer(text: string): unknown {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch {
    const form = new URLSearchParams(text);
    if (form.has('error') || form.has('access_token')) return Object.fromEntries(form);
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  }
}

function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split('?')[0];
  }
}

/**
 * The console's "test" action: runs a provider's token flow once and reports every request it made. Nothing is
 * stored, and nothing the provider issues leaves the broker unredacted.
 */
@Injectable()
export class ProviderTestService {
  private readonly codeClient: AuthorizationCodeClient;
  private readonly redirectUri: string;
  private readonly budgetMs: number;

  constructor(
    private readonly providers: ProvidersService,
    private readonly audit: AuditTrail,
    @Inject(ISSUER) issuer: string,
    @Inject(BUS_TIMEOUT_MS) busTimeoutMs: number,
    @Inject(EGRESS) private readonly egress: Egress,
  ) {
    this.redirectUri = `${issuer}/oauth/callback`;
    this.codeClient = new AuthorizationCodeClient(this.redirectUri, egress, 100);
    this.budgetMs = Math.max(500, busTimeoutMs - BUS_MARGIN_MS);
  }

  /** A test changes nothing, but it is an admin action that calls out: the outcome is recorded (never the answer). */
  async test(id: string, request: TestProviderFields): Promise<ProviderTestReply> {
    const provider = await this.providers.find(id);
    const reply = await this.run(provider, request);
    await this.audit.recordAlone({
      action: 'provider.test',
      outcome: reply.ok ? 'success' : 'failure',
      target: { type: 'provider', id: provider.id, name: provider.name },
      detail: { grantType: reply.grantType },
    });
    return reply;
  }

  private async run(provider: Provider, request: TestProviderFields): Promise<ProviderTestReply> {
    const resolved = resolveProvider(
      provider,
      this.providers.credential(provider),
      { variables: request.variables ?? {}, scopes: request.scopes ?? null },
      this.egress,
    );
    const deadline = Date.now() + this.budgetMs;
    const timeout = (share = 1) => Math.max(100, Math.min(resolved.timeoutMs, Math.floor((deadline - Date.now()) * share)));
    if (provider.grantType === 'authorization_code') return this.testAuthorizationCode(provider, resolved, timeout);
    let params: Record<string, string>;
    if (provider.grantType === 'password') {
      if (!request.username || request.password === undefined) {
        throw new BusError('validation_failed', 'A password provider is tested with a username and password', {
          ...(request.username ? {} : { username: ['username is required to test a password provider'] }),
          ...(request.password === undefined ? { password: ['password is required to test a password provider'] } : {}),
        });
      }
      params = { ...provider.tokenParams, grant_type: 'password', username: request.username, password: request.password, ...scopeParam(resolved) };
    } else if (provider.grantType === 'jwt_bearer') {
      params = await jwtBearerParams(resolved);
    } else {
      params = clientCredentialsParams(resolved);
    }
    const { step, answer } = await this.tokenRequest(resolved, params, timeout());
    return { ok: step.ok, grantType: provider.grantType, steps: [step], answer };
  }

  private async tokenRequest(
    resolved: ResolvedProvider,
    params: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ step: ProviderTestStep; answer: unknown }> {
    const url = resolved.urls.tokenUrl;
    const client = grantClient(resolved);
    params = await withClientAssertion({ url, params, client });
    const request = endpointRequest({ url, params, client, format: resolved.endpoint.format });
    const result = await send(this.egress, request.url, { method: 'POST', body: request.body, headers: request.headers }, timeoutMs);
    const paths = [resolved.mapping.accessTokenPath, resolved.mapping.refreshTokenPath];
    const sent = sentSecrets({ params, client });
    const step = (ok: boolean, outcome: string): ProviderTestStep => ({
      name: 'token request',
      url,
      status: result.status,
      ms: result.ms,
      ok,
      outcome: redactSecrets(outcome, sent),
    });
    if (result.networkError) return { step: step(false, `token endpoint ${result.networkError}`), answer: null };
    const answer = redactAnswer(parsedAnswer(result.text), paths, sent);
    if (result.status! >= 300 && result.status! < 400)
      return { step: step(false, `token endpoint redirected (${result.status}) to ${result.location ?? 'nowhere'}`), answer };
    if (result.status! >= 400) return { step: step(false, classifyHttpFailure(result.status!, result.text, sent).message), answer };
    try {
      const token = mapTokenResponse(parseTokenBody(result.text), resolved.mapping, new Date());
      const lifetime = token.expiresAt ? `, valid ${Math.round((token.expiresAt.getTime() - Date.now()) / 1000)} s` : ', no expiry';
      return {
        step: step(
          true,
          `issued a ${token.tokenType} token${lifetime}${token.refreshToken ? ', with a refresh token' : ''}${token.scope ? `, scope "${token.scope}"` : ''}`,
        ),
        answer,
      };
    } catch (error) {
      if (error instanceof TokenResponseError) return { step: step(false, error.message), answer };
      throw error;
    }
  }

  private async testAuthorizationCode(provider: Provider, resolved: ResolvedProvider, timeout: (share?: number) => number): Promise<ProviderTestReply> {
    const steps: ProviderTestStep[] = [];
    // The URL exactly as the real flow builds it (state, PKCE challenge, scopes, the provider's parameters), with a
    // state that is never saved: if the provider redirects back, the callback refuses it.
    const hooks: StateHooks = {
      save: async () =>
        randomBytes(Math.ceil(provider.stateLength * 0.75))
          .toString('base64url')
          .slice(0, provider.stateLength),
      consume: () => Promise.reject(new Error('not expected while testing')),
    };
    const authorizationUrl = await this.codeClient.authorizationUrl(
      codeFlowProvider(resolved),
      { scopes: resolved.scopes, prompt: provider.prompt ?? undefined },
      hooks,
    );

    const authorize = await send(this.egress, authorizationUrl, { method: 'GET', headers: { accept: 'text/html,application/json' } }, timeout(0.5));
    const authorizeStep = (ok: boolean, outcome: string): ProviderTestStep => ({
      name: 'authorization endpoint',
      url: withoutQuery(authorizationUrl),
      status: authorize.status,
      ms: authorize.ms,
      ok,
      outcome,
    });
    if (authorize.networkError) {
      steps.push(authorizeStep(false, `authorization endpoint ${authorize.networkError}`));
    } else if (authorize.status! >= 500) {
      steps.push(authorizeStep(false, `authorization endpoint answered ${authorize.status}: ${authorize.text.trim().slice(0, 300) || '(empty body)'}`));
    } else if (authorize.status === 404) {
      steps.push(authorizeStep(false, 'authorization endpoint answered 404: there is no authorization endpoint at this URL'));
    } else {
      const back = authorize.location && authorize.location.startsWith(this.redirectUri) ? new URL(authorize.location).searchParams : undefined;
      const error = back?.get('error');
      if (error) {
        const description = back?.get('error_description');
        steps.push(authorizeStep(false, `authorization endpoint refused the request: ${error}${description ? `: ${description}` : ''}`));
      } else if (authorize.status! >= 300 && authorize.status! < 400) {
        steps.push(
          authorizeStep(
            true,
            back
              ? 'redirected straight back with a code (consent already given)'
              : `answered ${authorize.status}, redirecting to ${withoutQuery(authorize.location ?? '')} (a sign-in page)`,
          ),
        );
      } else {
        steps.push(authorizeStep(true, `answered ${authorize.status}${authorize.status === 200 ? ' (a sign-in or consent page)' : ''}`));
      }
    }

    // A code nobody issued: a real OAuth token endpoint refuses it with an OAuth error (invalid_grant), which shows
    // it is one and that it accepts this client; invalid_client says the client's credentials are wrong.
    const verifier = provider.pkce ? randomBytes(32).toString('base64url') : undefined;
    const params = {
      ...provider.tokenParams,
      grant_type: 'authorization_code',
      code: BOGUS_CODE,
      redirect_uri: this.redirectUri,
      ...(verifier ? { code_verifier: verifier } : {}),
    };
    const url = resolved.urls.tokenUrl;
    const signed = await withClientAssertion({ url, params, client: resolved.client });
    const request = endpointRequest({ url, params: signed, client: resolved.client, format: resolved.endpoint.format });
    const exchange = await send(this.egress, request.url, { method: 'POST', body: request.body, headers: request.headers }, timeout());
    const sent = sentSecrets({ params: signed, client: resolved.client });
    const tokenStep = (ok: boolean, outcome: string): ProviderTestStep => ({
      name: 'token endpoint',
      url,
      status: exchange.status,
      ms: exchange.ms,
      ok,
      outcome: redactSecrets(outcome, sent),
    });
    let answer: unknown = null;
    if (exchange.networkError) {
      steps.push(tokenStep(false, `token endpoint ${exchange.networkError}`));
    } else {
      const parsed = parsedAnswer(exchange.text);
      answer = redactAnswer(parsed, [resolved.mapping.accessTokenPath, resolved.mapping.refreshTokenPath], sent);
      const oauthError =
        parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string' ? (parsed as { error: string }).error : undefined;
      const status = exchange.status!;
      if (status >= 200 && status < 300) {
        steps.push(tokenStep(false, `token endpoint answered ${status} to a code it never issued: it does not check codes`));
      } else if (status >= 500 || !oauthError || (!CLIENT_REFUSALS.has(oauthError) && !CODE_REFUSALS.has(oauthError))) {
        steps.push(tokenStep(false, `${classifyHttpFailure(status, exchange.text).message} (not an OAuth error: is this a token endpoint?)`));
      } else if (CLIENT_REFUSALS.has(oauthError)) {
        steps.push(
          tokenStep(
            false,
            `${classifyHttpFailure(status, exchange.text).message} (the client is refused: check the client ID, secret and authentication method)`,
          ),
        );
      } else {
        steps.push(tokenStep(true, `refused a made-up code with ${oauthError}, as an OAuth token endpoint should`));
      }
    }
    return { ok: steps.every((s) => s.ok), grantType: provider.grantType, steps, answer };
  }
}

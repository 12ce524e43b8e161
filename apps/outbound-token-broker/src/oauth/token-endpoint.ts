import type { ClientAuthMethod, RequestFormat } from '@tessera/contracts';
import type { Egress } from '@tessera/egress';
import { classifyHttpFailure, networkFailure, TokenEndpointError } from './token-endpoint-error.js';
import { readPath } from './token-response.js';
import { CLIENT_ASSERTION_TYPE } from '../signing/assertion.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: ClientAuthMethod;
  /**
   * private_key_jwt: a fresh signed client assertion for one request to `audience` (RFC 7523 §2.2), whoever signs it:
   * the provider's own key in the broker, or this platform's client key in the registry (ProvidersService.credential).
   */
  assertion?: (audience: string) => Promise<string>;
  /** No client authentication at all: a jwt_bearer assertion is the credential. */
  anonymous?: boolean;
}

export interface EndpointCall {
  url: string;
  params: Record<string, string>;
  client: ClientCredentials;
  timeoutMs: number;
  egress: Egress;
  /** How the parameters travel (default form, RFC 6749). */
  format?: RequestFormat;
  /** For a provider that answers errors with 200: where its answer says whether the call worked, and the value that means yes. */
  okFlag?: { path: string; value: string };
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before being joined for HTTP Basic. */
function basicAuthorization(client: ClientCredentials): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}

/**
 * Builds the form and headers for one client authentication method. Exactly one method is used: providers such as
 * oidc-provider reject a request that carries the secret both in the header and in the body.
 */
function authenticatedForm(call: Pick<EndpointCall, 'params' | 'client'>): { body: URLSearchParams; headers: Record<string, string> } {
  const params = { ...call.params };
  delete params.client_secret;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (call.client.anonymous) {
    delete params.client_id;
  } else if (call.client.method === 'private_key_jwt') {
    // The assertion (withClientAssertion) is the credential: a secret beside it would be a second method.
    params.client_id = call.client.clientId;
  } else if (call.client.method === 'client_secret_basic' && call.client.clientSecret) {
    delete params.client_id;
    headers.authorization = basicAuthorization(call.client);
  } else {
    params.client_id = call.client.clientId;
    if (call.client.clientSecret) params.client_secret = call.client.clientSecret;
  }
  return { body: new URLSearchParams(params), headers };
}

/**
 * The request for one call: the authenticated parameters as a form (RFC 6749), a JSON body, or the URL's query with
 * an empty body (Miro, Smartsheet); the Authorization header is the same in every format.
 */
export function endpointRequest(call: Pick<EndpointCall, 'url' | 'params' | 'client' | 'format'>): {
  url: string;
  body?: string;
  headers: Record<string, string>;
} {
  const { body, headers } = authenticatedForm(call);
  if (call.format === 'json')
    return { url: call.url, body: JSON.stringify(Object.fromEntries(body)), headers: { ...headers, 'content-type': 'application/json' } };
  if (call.format === 'query') {
    const url = new URL(call.url);
    for (const [key, value] of body) url.searchParams.append(key, value);
    const { 'content-type': _type, ...rest } = headers;
    return { url: url.toString(), headers: rest };
  }
  return { url: call.url, body: body.toString(), headers };
}

/** Whether a 2xx answer says it worked, for a provider that answers errors with 200 (Slack's `ok: false`). */
export function answerSaysOk(text: string, okFlag: EndpointCall['okFlag']): boolean {
  if (!okFlag) return true;
  return String(readPath(parseTokenBody(text), okFlag.path)) === okFlag.value;
}

/** What this call sends that must never come back in a message: the client secret and every credential parameter. */
export function sentSecrets(call: Pick<EndpointCall, 'params' | 'client'>): string[] {
  const { client_id: _id, grant_type: _grant, scope: _scope, redirect_uri: _redirect, token_type_hint: _hint, ...rest } = call.params;
  return [call.client.clientSecret, ...Object.values(rest)];
}

/**
 * private_key_jwt: the call's parameters with a client assertion made for this one request (its `jti` is good once),
 * its audience the endpoint called, as RFC 7523 §3 and OpenID Connect Core §9 have it (resolveProvider puts a
 * provider's own assertionAudience in its place).
 */
export async function withClientAssertion(call: Pick<EndpointCall, 'url' | 'params' | 'client'>): Promise<Record<string, string>> {
  const { client } = call;
  if (client.method !== 'private_key_jwt' || client.anonymous) return call.params;
  if (!client.assertion) throw new TokenEndpointError('private_key_jwt needs a signed client assertion, and none can be made for this client', true);
  let assertion: string;
  try {
    assertion = await client.assertion(call.url.split('?')[0]);
  } catch (error) {
    // The signer (the registry) out of reach is a blip like a network failure: retried, not a refusal.
    throw new TokenEndpointError(`Could not sign the client assertion: ${(error as Error).message}`, false);
  }
  return { ...call.params, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
}

/** POSTs to a token or revocation endpoint through the egress policy, with a timeout; resolves with the raw text of a 2xx answer. */
export async function postToEndpoint(unsigned: EndpointCall): Promise<string> {
  const call = { ...unsigned, params: await withClientAssertion(unsigned) };
  const { url, body, headers } = endpointRequest(call);
  let status: number;
  let text: string;
  try {
    const response = await call.egress.fetch(url, { method: 'POST', body, headers, redirect: 'error', signal: AbortSignal.timeout(call.timeoutMs) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw networkFailure(error, call.timeoutMs, sentSecrets(call));
  }
  // A provider that echoes what it was sent (the refresh token, the password) into its error must not put it in lastMessage.
  if (status < 200 || status >= 300) throw classifyHttpFailure(status, text, sentSecrets(call));
  // An error answered with 200 is read as the 400 it means: its `error` classifies it as any other refusal.
  if (!answerSaysOk(text, call.okFlag)) throw classifyHttpFailure(400, text, sentSecrets(call));
  return text;
}

/** Token responses are JSON by the RFC; GitHub-era providers still send form encoding. */
export function parseTokenBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How one catalog template says its provider behaves, in plain fields (the harness reads them off the template). The
 * fake holds the client to exactly that: the wrong client authentication, request format or PKCE answers an OAuth
 * error, as the real provider would.
 */
export interface TemplateBehaviour {
  clientId: string;
  clientSecret: string;
  clientAuth: 'client_secret_basic' | 'client_secret_post';
  requestFormat: 'form' | 'json' | 'query';
  revocationFormat: 'form' | 'json';
  pkce: 'required' | 'supported' | 'unsupported';
  /** The grant_type value of a client-credentials request, and the refresh request's grant parameter and value. */
  clientCredentialsGrantType: string;
  refreshGrantParam: string;
  refreshGrantValue: string;
  refreshTokens: boolean;
  answer: {
    format: 'json' | 'form';
    accessTokenPath: string;
    refreshTokenPath: string;
    expiresInPath: string;
    /** Seconds (or milliseconds, as the template's unit says) put at expiresInPath; absent: none sent. */
    expiresIn?: number;
    expiresAtPath?: string;
    okFlag?: { path: string; value: boolean | string };
    /** Values every answer carries at these paths (Salesforce's instance_url). */
    values?: Record<string, string>;
  };
}

/** One request the fake received, as the provider would see it: its host (the URL's), path, query, headers and parameters. */
export interface ProviderRequest {
  host: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  contentType: string | undefined;
  /** The body's parameters, read as the content type says (form or JSON); the query's for a query-format request. */
  params: Record<string, string>;
  rawBody: string;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/**
 * A provider that behaves as a catalog template says, for the conformance harness. It serves every host at once: the
 * harness's transport sends `https://<host>/<path>` here as `/<host>/<path>`, and each request is recorded with the host
 * it was for. Authorization requests are answered with a redirect carrying a code (PKCE challenge remembered); token
 * requests are checked against the behaviour and answered in the template's shape.
 */
export class CatalogFakeProvider {
  readonly requests: ProviderRequest[] = [];
  private readonly codes = new Map<string, string | undefined>();
  private server?: Server;
  private counter = 0;
  url = '';
  behaviour?: TemplateBehaviour;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.writeHead(500).end()));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A new template: its behaviour, and no requests recorded yet. */
  use(behaviour: TemplateBehaviour): void {
    this.behaviour = behaviour;
    this.requests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString();
    const url = new URL(req.url!, this.url);
    const [, host, ...rest] = url.pathname.split('/');
    const contentType = req.headers['content-type']?.split(';')[0];
    const query = Object.fromEntries(url.searchParams);
    let params: Record<string, string> = {};
    if (contentType === 'application/json' && rawBody) params = JSON.parse(rawBody) as Record<string, string>;
    else if (rawBody) params = Object.fromEntries(new URLSearchParams(rawBody));
    else if (req.method === 'POST') params = query;
    const request: ProviderRequest = {
      host,
      method: req.method!,
      path: `/${rest.join('/')}`,
      query,
      headers: { authorization: req.headers.authorization, accept: req.headers.accept as string | undefined },
      contentType,
      params,
      rawBody,
    };
    this.requests.push(request);
    const b = this.behaviour!;
    const json = (status: number, value: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

    if (req.method === 'GET') {
      const code = `code-${++this.counter}`;
      this.codes.set(code, query.code_challenge);
      const back = new URL(query.redirect_uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.state ?? '');
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    // The client as the template says: Basic with the form-encoded pair (RFC 6749 §2.3.1), or both in the parameters, never both ways.
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
    const basic = `Basic ${Buffer.from(`${encode(b.clientId)}:${encode(b.clientSecret)}`).toString('base64')}`;
    const authenticated =
      b.clientAuth === 'client_secret_basic'
        ? request.headers.authorization === basic && params.client_secret === undefined
        : params.client_id === b.clientId && params.client_secret === b.clientSecret && request.headers.authorization === undefined;
    if (!authenticated) return json(401, { error: 'invalid_client', error_description: `expected ${b.clientAuth}` });
    if ('token' in params) return json(200, {});

    const grant = params[b.refreshGrantParam] === b.refreshGrantValue && params.refresh_token ? 'refresh' : params.grant_type;
    if (grant === 'authorization_code') {
      if (!this.codes.has(params.code)) return json(400, { error: 'invalid_grant', error_description: 'unknown code' });
      const challenge = this.codes.get(params.code);
      this.codes.delete(params.code);
      if (b.pkce === 'required' && !challenge) return json(400, { error: 'invalid_request', error_description: 'PKCE is required' });
      if (
        challenge &&
        createHash('sha256')
          .update(params.code_verifier ?? '')
          .digest('base64url') !== challenge
      )
        return json(400, { error: 'invalid_grant', error_description: 'code_verifier does not match' });
    } else if (grant !== 'refresh' && grant !== b.clientCredentialsGrantType) {
      return json(400, { error: 'unsupported_grant_type' });
    }
    return this.answer(res, grant !== 'refresh' || b.refreshTokens);
  }

  private answer(res: ServerResponse, withRefresh: boolean): void {
    const a = this.behaviour!.answer;
    const n = ++this.counter;
    const body: Record<string, unknown> = {};
    setPath(body, a.accessTokenPath, `at-${n}`);
    if (withRefresh && this.behaviour!.refreshTokens) setPath(body, a.refreshTokenPath, `rt-${n}`);
    if (a.expiresIn !== undefined) setPath(body, a.expiresInPath, a.expiresIn);
    if (a.expiresAtPath) setPath(body, a.expiresAtPath, Math.floor(Date.now() / 1000) + 3600);
    if (a.okFlag) setPath(body, a.okFlag.path, a.okFlag.value);
    for (const [path, value] of Object.entries(a.values ?? {})) setPath(body, path, value);
    body.token_type ??= 'bearer';
    if (a.format === 'form') {
      const form = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]));
      return void res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(form.toString());
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

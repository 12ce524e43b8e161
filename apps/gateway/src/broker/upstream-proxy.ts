import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { ProxyMetrics } from './proxy-metrics.js';
import { RejectionGate, sendWithRefreshOn401, tokenKey, type TokenRef } from '@tessera/broker-client';
import { BusError, Subjects, type ProxyLimits } from '@tessera/contracts';
import {
  egressCause,
  EgressRefusedError,
  EgressTimeoutError,
  PathEscapeError,
  ResponseTooLargeError,
  urlUnderBase,
  type Egress,
  type EgressLimits,
} from '@tessera/egress';
import { BusClient } from '@tessera/messaging';
import { redactSecrets } from '@tessera/observability';
import { EGRESS } from '@tessera/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { TokenCaller } from './token-permission.js';
import { downstreamResponseHeaders, PROXIED_RESPONSE_HEADERS, upstreamRequestHeaders } from './upstream-headers.js';

/** The proxy's limits when a token sets none: an API answer, not a download site or a long poll. */
const PROXY_DEFAULT_LIMITS: EgressLimits = {
  connectTimeoutMs: 5_000,
  firstByteTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  maxResponseBytes: 25 * 1024 * 1024,
};

/**
 * Where a proxied call goes and how it is authorized: an outbound token (refreshed on a 401) by its name or, for a
 * platform instance, by the id its record holds; or fixed credentials.
 */
export type UpstreamCredentials = { token: TokenRef; caller: TokenCaller } | { baseUrl: string; authorization: string };

function requestBody(request: FastifyRequest): Buffer | string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const raw = (request as FastifyRequest & { rawBody?: Buffer }).rawBody;
  if (raw) return raw;
  if (Buffer.isBuffer(request.body) || typeof request.body === 'string') return request.body;
  return request.body === undefined || request.body === null ? undefined : JSON.stringify(request.body);
}

/**
 * The part of the request path after `/proxy/<name>/` (or `/proxy/instances/<name>/`) exactly as the client sent it,
 * still percent-encoded: the router's decoded copy would hide `%2e%2e` and `%09` from the check that follows.
 */
function rawRest(request: FastifyRequest, leadingSegments: number): { path: string; query: string } {
  const url = request.raw.url ?? request.url;
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  return {
    path: path
      .split('/')
      .slice(leadingSegments + 1)
      .join('/'),
    query: queryAt < 0 ? '' : url.slice(queryAt),
  };
}

/** The caller's headers less those the provider's settings set (names compared case-insensitively). */
function withoutNames(headers: Record<string, string>, names: string[]): Record<string, string> {
  const taken = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !taken.has(name.toLowerCase())));
}

function limitsFor(overrides: ProxyLimits | undefined): EgressLimits {
  return { ...PROXY_DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(overrides ?? {}).filter(([, v]) => typeof v === 'number')) };
}

/**
 * Forwards a request to a URL under `<baseUrl>` with the credentials applied and streams the answer back, through
 * the egress policy and under the token's limits. With an outbound token, a 401 from upstream tells the broker which
 * token was refused (by hash) and the call is retried once with the refreshed token (see RejectionGate).
 */
@Injectable()
export class UpstreamProxy {
  private readonly gate = new RejectionGate();

  constructor(
    private readonly bus: BusClient,
    @Inject(EGRESS) private readonly egress: Egress,
    private readonly metrics: ProxyMetrics,
  ) {}

  async forward(credentials: UpstreamCredentials, request: FastifyRequest, reply: FastifyReply, leadingSegments: number): Promise<void> {
    const byToken = 'token' in credentials ? credentials : undefined;
    // The caller's scope goes along: the broker, which knows the token, decides (ADR 0016).
    const access = (rejectedTokenHash?: string) =>
      this.bus.call(Subjects.broker.token.access, { ...byToken!.token, ...byToken!.caller, ...(rejectedTokenHash ? { rejectedTokenHash } : {}) });
    // One round trip to the broker before the first upstream byte, whether the token is named or given by id.
    let token = byToken ? await access() : undefined;
    const baseUrl = token ? token.base_url : (credentials as { baseUrl: string }).baseUrl;
    // Only a token can lack one (fixed credentials come with the instance's address).
    if (!baseUrl)
      throw new BusError(
        'conflict',
        `Token "${Object.values(byToken!.token)[0]}" has no baseUrl to proxy to: set the API's base URL with PATCH /admin/tokens/{id} {"baseUrl": "https://api.example.com"}`,
      );
    const rest = rawRest(request, leadingSegments);
    let target: URL;
    try {
      // The token was issued for baseUrl's API: the call may not walk out of it, to another path or another host.
      target = urlUnderBase(baseUrl, rest.path, rest.query);
    } catch (error) {
      if (error instanceof PathEscapeError || error instanceof TypeError)
        throw new BadRequestException({
          error: 'validation_failed',
          message: error instanceof PathEscapeError ? error.message : 'The proxied path is not a valid URL path',
        });
      throw error;
    }
    const limits = limitsFor(token?.proxy_limits);
    const body = requestBody(request);
    const headers = upstreamRequestHeaders(request.headers);
    const authorization = () => (token ? `${token.token_type} ${token.access_token}` : (credentials as { authorization: string }).authorization);
    // The provider's API may want the token in a header of its own (Shopify) and fixed headers (Notion-Version): its settings win over the caller's.
    const credentialHeaders = (): Record<string, string> =>
      token?.token_header
        ? { ...token.api_headers, [token.token_header.toLowerCase()]: `${token.token_prefix ?? ''}${token.access_token}` }
        : { ...token?.api_headers, authorization: authorization() };
    const send = (using = token) => {
      // The token in use, so the credential a failure could echo is the one redacted.
      token = using;
      return this.egress.fetch(
        target,
        {
          method: request.method,
          headers: { ...withoutNames(headers, Object.keys(token?.api_headers ?? {})), ...credentialHeaders() },
          body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
          redirect: 'manual',
        },
        limits,
      );
    };
    // Whatever goes wrong, the message is built here, from text that may echo what was sent: never let the credential out.
    const secrets = () => [token?.access_token, 'authorization' in credentials ? credentials.authorization : undefined, authorization()];
    let upstream: Awaited<ReturnType<typeof send>>;
    const started = performance.now();
    try {
      if (token && byToken) {
        upstream = (
          await sendWithRefreshOn401({
            gate: this.gate,
            key: tokenKey(byToken.token),
            token,
            send,
            access,
            discard: (answer) => answer.body?.cancel().catch(() => undefined) ?? Promise.resolve(),
          })
        ).response;
      } else {
        upstream = await send();
      }
    } catch (error) {
      if (error instanceof BusError) throw error;
      const cause = egressCause(error, limits);
      this.metrics.failed(cause, started);
      this.fail(reply, cause, secrets());
      return;
    }
    this.metrics.answered(upstream.status, started);
    void reply.status(upstream.status);
    for (const [key, value] of downstreamResponseHeaders(upstream.headers)) void reply.header(key, value);
    for (const [key, value] of Object.entries(PROXIED_RESPONSE_HEADERS)) void reply.header(key, value);
    // A body that grows past the cap or goes silent errors mid-stream: the connection is cut, the caller sees it incomplete.
    await reply.send(upstream.body ? Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream) : undefined);
  }

  private fail(reply: FastifyReply, error: unknown, secrets: (string | undefined)[]): void {
    const answer = (status: number, code: string, message: string) =>
      void reply.status(status).send({ statusCode: status, error: code, message: redactSecrets(message, secrets) });
    if (error instanceof EgressRefusedError) return answer(502, 'bad_gateway', `The upstream API ${error.message}`);
    if (error instanceof EgressTimeoutError) return answer(504, 'gateway_timeout', `The upstream API ${error.message}`);
    if (error instanceof ResponseTooLargeError) return answer(502, 'bad_gateway', `The upstream API's ${error.message}`);
    // The upstream API is down or unreachable: that is a bad gateway, not an error of ours.
    const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    return answer(
      502,
      'bad_gateway',
      `The upstream API did not answer: ${cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
}

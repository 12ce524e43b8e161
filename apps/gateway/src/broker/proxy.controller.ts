import { All, BadRequestException, Controller, Injectable, Param, Req, Res, UseGuards } from '@nestjs/common';
import { BusError, Subjects, type AccessTokenReply, type InstanceConnection, type OutboundTokenView } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuthenticatedPermission, PermissionGuard, RequirePermission } from '../http/admin.guard.js';
import { call } from '../http/bus-call.js';
import { InstanceCallerFor, TokenCallerFor, type TokenCaller } from './token-permission.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and the caller's own credentials never travel upstream or back. */
const NOT_FORWARDED_UP = new Set(['host', 'connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'authorization', 'cookie', 'content-length', 'x-request-id']);
const NOT_FORWARDED_DOWN = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'set-cookie']);

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

function requestBody(request: FastifyRequest): Buffer | string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const raw = (request as FastifyRequest & { rawBody?: Buffer }).rawBody;
  if (raw) return raw;
  if (Buffer.isBuffer(request.body) || typeof request.body === 'string') return request.body;
  return request.body === undefined || request.body === null ? undefined : JSON.stringify(request.body);
}

/** Where a proxied call goes and how it is authorized: an outbound token (refreshed once on a 401), or fixed credentials. */
export type UpstreamCredentials = { tokenName: string; caller: TokenCaller } | { baseUrl: string; authorization: string };

/**
 * Forwards a request to `<baseUrl>/<path>` with the credentials applied and streams the answer back. With an outbound
 * token, a 401 from upstream tells the broker which token was refused (by hash) and the call is retried once with the
 * refreshed token; a second 401 goes back to the caller as it is.
 */
@Injectable()
export class UpstreamProxy {
  constructor(private readonly bus: BusClient) {}

  async forward(credentials: UpstreamCredentials, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const rest = (request.params as Record<string, string>)['*'] ?? '';
    // The token was issued for baseUrl's API: a dot-segment must not walk the call out of it to another path.
    if (rest.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) throw new BadRequestException({ error: 'validation_failed', message: 'The proxied path may not contain . or .. segments' });
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const body = requestBody(request);
    let token = 'tokenName' in credentials ? await call<AccessTokenReply>(this.bus, Subjects.broker.token.access, { name: credentials.tokenName, ...credentials.caller }) : undefined;
    const baseUrl = token ? token.base_url : (credentials as { baseUrl: string }).baseUrl;
    if (!baseUrl) throw new BusError('conflict', `Token "${(credentials as { tokenName: string }).tokenName}" has no baseUrl to proxy to`);
    const target = `${baseUrl}/${rest}${query}`;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) {
      if (!NOT_FORWARDED_UP.has(key) && value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    const authorization = () => (token ? `${token.token_type} ${token.access_token}` : (credentials as { authorization: string }).authorization);
    const send = () => fetch(target, { method: request.method, headers: { ...headers, authorization: authorization() }, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body), redirect: 'manual' });
    let upstream: Response;
    try {
      upstream = await send();
    } catch (error) {
      // The upstream API is down or unreachable: that is a bad gateway, not an error of ours.
      void reply.status(502).send({ statusCode: 502, error: 'bad_gateway', message: `The upstream API did not answer: ${describeFailure(error)}` });
      return;
    }
    if (upstream.status === 401 && token && 'tokenName' in credentials) {
      await upstream.body?.cancel();
      const rejectedTokenHash = createHash('sha256').update(token.access_token).digest('base64url');
      token = await call<AccessTokenReply>(this.bus, Subjects.broker.token.access, { name: credentials.tokenName, rejectedTokenHash, ...credentials.caller });
      upstream = await send();
    }
    void reply.status(upstream.status);
    upstream.headers.forEach((value, key) => {
      if (!NOT_FORWARDED_DOWN.has(key)) void reply.header(key, value);
    });
    await reply.send(upstream.body ? Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream) : undefined);
  }
}

/** `ANY /proxy/:name/<path>` (`*:tokens/<name>=proxy`, or `<instance>:p2pi=proxy` for a P2PI token): calls the named outbound token's baseUrl + path with `Authorization: <type> <token>`. */
@Controller('proxy')
@UseGuards(PermissionGuard)
export class ProxyController {
  constructor(private readonly proxy: UpstreamProxy, private readonly bus: BusClient) {}

  @All(':name/*')
  @RequirePermission(AuthenticatedPermission)
  forward(@Param('name') name: string, @TokenCallerFor('proxy') caller: TokenCaller, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward({ tokenName: name, caller }, request, reply);
  }

  /**
   * `ANY /proxy/instances/:name/<path>` (`<name>:p2pi=proxy`): P2PI — calls another platform instance as this platform, with the OAuth token
   * held for it (refreshed once on a 401) or its username and password.
   */
  @All('instances/:name/*')
  @RequirePermission(AuthenticatedPermission)
  async forwardToInstance(@Param('name') name: string, @InstanceCallerFor('proxy') caller: TokenCaller, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const instance = await call<InstanceConnection>(this.bus, Subjects.registry.instance.connection, { name });
    if (instance.auth.type === 'password') {
      const authorization = `Basic ${Buffer.from(`${instance.auth.username}:${instance.password ?? ''}`).toString('base64')}`;
      return this.proxy.forward({ baseUrl: instance.baseUrl, authorization }, request, reply);
    }
    if (instance.auth.type !== 'oauth' || !instance.tokenId) throw BusError.conflict(`Instance "${name}" is not authorized yet: choose OAuth and run the "request" flow`);
    const token = await call<OutboundTokenView>(this.bus, Subjects.broker.token.get, { id: instance.tokenId });
    return this.proxy.forward({ tokenName: token.name, caller }, request, reply);
  }
}

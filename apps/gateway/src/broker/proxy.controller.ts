import { All, Controller, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { BusError, Subjects } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatedPermission, PermissionGuard, RequirePermission } from '../http/permission.guard.js';
import { Refuses } from '../openapi/decorators.js';
import { InstanceCallerFor, TokenCallerFor, type TokenCaller } from './token-permission.js';
import { UpstreamProxy } from './upstream-proxy.js';

export { UpstreamProxy } from './upstream-proxy.js';

/** `ANY /proxy/:name/<path>` (`*:tokens/<name>=proxy`, or `<instance>:p2pi=proxy` for a P2PI token): calls the named outbound token's baseUrl + path with `Authorization: <type> <token>`. */
@Controller('proxy')
@UseGuards(PermissionGuard)
export class ProxyController {
  constructor(
    private readonly proxy: UpstreamProxy,
    private readonly bus: BusClient,
  ) {}

  @ApiOperation({ summary: "Call the named outbound token's API (`*:tokens/<name>=proxy`); any other method (SEARCH, QUERY, WebDAV's) is forwarded too" })
  @ApiResponse({ status: 'default', description: "The upstream's answer, as it came (hop-by-hop headers dropped)", content: { '*/*': {} } })
  @Refuses(400, 502, 504)
  @All(':name/*')
  @RequirePermission(AuthenticatedPermission)
  forward(
    @Param('name') name: string,
    @TokenCallerFor('proxy') caller: TokenCaller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.proxy.forward({ token: { name }, caller }, request, reply, 2);
  }

  /**
   * `ANY /proxy/instances/:name/<path>` (`<name>:p2pi=proxy`): P2PI — calls another platform instance as this platform, with the OAuth token
   * held for it (refreshed once on a 401) or its username and password.
   */
  @ApiOperation({
    summary: "P2PI: call another platform instance as this platform (`<name>:p2pi=proxy`); any other method (SEARCH, QUERY, WebDAV's) is forwarded too",
  })
  @ApiResponse({ status: 'default', description: "The instance's answer, as it came", content: { '*/*': {} } })
  @Refuses(400, 409, 502, 504)
  @All('instances/:name/*')
  @RequirePermission(AuthenticatedPermission)
  async forwardToInstance(
    @Param('name') name: string,
    @InstanceCallerFor('proxy') caller: TokenCaller,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const instance = await this.bus.call(Subjects.registry.instance.connection, { name });
    if (instance.auth.type === 'password') {
      const authorization = `Basic ${Buffer.from(`${instance.auth.username}:${instance.password ?? ''}`).toString('base64')}`;
      return this.proxy.forward({ baseUrl: instance.baseUrl, authorization }, request, reply, 3);
    }
    if (instance.auth.type !== 'oauth' || !instance.tokenId)
      throw BusError.conflict(`Instance "${name}" is not authorized yet: choose OAuth and run the "request" flow`);
    // The record holds the token's id: the broker is asked for the token by it, without looking its name up first.
    return this.proxy.forward({ token: { id: instance.tokenId }, caller }, request, reply, 3);
  }
}

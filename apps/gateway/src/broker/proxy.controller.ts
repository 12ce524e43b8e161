import { All, Controller, Param, Req, Res, UseGuards } from '@nestjs/common';
import { BusError, Subjects, type InstanceConnection, type OutboundTokenView } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PermissionGuard, RequirePermission } from '../http/admin.guard.js';
import { call } from '../http/bus-call.js';
import { TOKENS_READ_PERMISSION } from './token-use.controller.js';
import { UpstreamProxy } from './upstream-proxy.js';

export { UpstreamProxy } from './upstream-proxy.js';

/** `ANY /proxy/:name/<path>`: calls the named outbound token's baseUrl + path with `Authorization: <type> <token>`. */
@Controller('proxy')
@UseGuards(PermissionGuard)
export class ProxyController {
  constructor(private readonly proxy: UpstreamProxy, private readonly bus: BusClient) {}

  @All(':name/*')
  @RequirePermission(TOKENS_READ_PERMISSION)
  forward(@Param('name') name: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.forward({ tokenName: name }, request, reply, 2);
  }

  /**
   * `ANY /proxy/instances/:name/<path>`: P2PI — calls another platform instance as this platform, with the OAuth token
   * held for it (refreshed once on a 401) or its username and password.
   */
  @All('instances/:name/*')
  @RequirePermission(TOKENS_READ_PERMISSION)
  async forwardToInstance(@Param('name') name: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const instance = await call<InstanceConnection>(this.bus, Subjects.registry.instance.connection, { name });
    if (instance.auth.type === 'password') {
      const authorization = `Basic ${Buffer.from(`${instance.auth.username}:${instance.password ?? ''}`).toString('base64')}`;
      return this.proxy.forward({ baseUrl: instance.baseUrl, authorization }, request, reply, 3);
    }
    if (instance.auth.type !== 'oauth' || !instance.tokenId) throw BusError.conflict(`Instance "${name}" is not authorized yet: choose OAuth and run the "request" flow`);
    const token = await call<OutboundTokenView>(this.bus, Subjects.broker.token.get, { id: instance.tokenId });
    return this.proxy.forward({ tokenName: token.name }, request, reply, 3);
  }
}

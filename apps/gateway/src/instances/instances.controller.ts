import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  BusError, ClientAppRequest, ListInstancesRequest, RegisterInstanceRequest, Subjects, UpdateInstanceBody, type AuthorizeTokenReply, type InstanceConnection,
  type IntegrationWithSecret, type OutboundTokenView, type Page, type PlatformInstanceView, type ProviderView,
} from '@tessera/contracts';
import { randomUUID } from 'node:crypto';
import { BusClient } from '@tessera/messaging';
import { ADMIN_PERMISSION, PermissionGuard, RequirePermission } from '../http/admin.guard.js';
import { call } from '../http/bus-call.js';
import { notFoundUnlessUuid } from '../http/ids.js';

@Controller('admin/instances')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN_PERMISSION)
export class InstancesController {
  constructor(private readonly bus: BusClient) {}

  @Post()
  @HttpCode(201)
  register(@Body() body: RegisterInstanceRequest): Promise<PlatformInstanceView> {
    return call(this.bus, Subjects.registry.instance.register, body);
  }

  @Get()
  list(@Query() query: ListInstancesRequest): Promise<Page<PlatformInstanceView>> {
    return call(this.bus, Subjects.registry.instance.list, query);
  }

  @Get(':id')
  get(@Param('id', notFoundUnlessUuid) id: string): Promise<PlatformInstanceView> {
    return call(this.bus, Subjects.registry.instance.get, { id });
  }

  /** Changes the address or the authentication; "Use OAuth-based authentication" must name an existing outbound client app. */
  @Patch(':id')
  async update(@Param('id', notFoundUnlessUuid) id: string, @Body() body: UpdateInstanceBody): Promise<PlatformInstanceView> {
    if (body.auth?.type === 'oauth') {
      await call(this.bus, Subjects.broker.provider.get, { id: body.auth.clientAppId }).catch((error) => {
        if (error instanceof BusError && error.code === 'not_found') throw new BusError('validation_failed', 'The request has invalid fields', { 'auth.clientAppId': ['no outbound client app has this id'] });
        throw error;
      });
    }
    return call(this.bus, Subjects.registry.instance.update, { ...body, id });
  }

  /**
   * P2PI's outbound client app: the client id and secret the other platform issued to this one, with its endpoints
   * discovered from its RFC 8414 metadata at the instance's baseUrl (an outbound-token-broker provider).
   */
  @Post(':id/client-app')
  @HttpCode(201)
  async createClientApp(@Param('id', notFoundUnlessUuid) id: string, @Body() body: ClientAppRequest): Promise<ProviderView> {
    const instance = await call<PlatformInstanceView>(this.bus, Subjects.registry.instance.get, { id });
    return call(this.bus, Subjects.broker.provider.discover, { name: `instance-${instance.name}-${randomUUID().slice(0, 8)}`, issuer: instance.baseUrl, ...body });
  }

  /** The "request" link: an outbound token for the instance (created on first use) and the URL of its authorization flow. */
  @Post(':id/authorize')
  @HttpCode(200)
  async authorize(@Param('id', notFoundUnlessUuid) id: string): Promise<AuthorizeTokenReply> {
    const instance = await call<PlatformInstanceView>(this.bus, Subjects.registry.instance.get, { id });
    if (instance.auth.type !== 'oauth' || !instance.auth.clientAppId) throw BusError.conflict('Choose OAuth-based authentication with an outbound client app first (PATCH auth)');
    let tokenId = instance.token?.tokenId ?? (await this.linkedTokenId(instance));
    if (!tokenId) {
      const token = await call<OutboundTokenView>(this.bus, Subjects.broker.token.create, {
        name: `instance-${instance.name}-${randomUUID().slice(0, 8)}`, providerId: instance.auth.clientAppId, baseUrl: instance.baseUrl,
      });
      await call(this.bus, Subjects.registry.instance.update, { id, tokenId: token.id });
      tokenId = token.id;
    }
    return call(this.bus, Subjects.broker.token.authorize, { id: tokenId });
  }

  /** Forgets the instance's OAuth token (revoking it at the instance, which supports RFC 7009). */
  @Post(':id/deauthorize')
  @HttpCode(200)
  async deauthorize(@Param('id', notFoundUnlessUuid) id: string): Promise<PlatformInstanceView> {
    const instance = await call<PlatformInstanceView>(this.bus, Subjects.registry.instance.get, { id });
    const tokenId = instance.token?.tokenId ?? (await this.linkedTokenId(instance));
    if (!tokenId) throw BusError.conflict('This instance holds no OAuth token');
    await call(this.bus, Subjects.broker.token.revoke, { id: tokenId });
    return call(this.bus, Subjects.registry.instance.get, { id });
  }

  private async linkedTokenId(instance: PlatformInstanceView): Promise<string | null> {
    const connection = await call<InstanceConnection>(this.bus, Subjects.registry.instance.connection, { name: instance.name });
    return connection.tokenId;
  }

  /** P6: "each instance is an integration" — creates it here, with the two permissions an instance needs. */
  @Post(':id/integration')
  @HttpCode(201)
  createIntegration(@Param('id', notFoundUnlessUuid) id: string): Promise<IntegrationWithSecret> {
    return call(this.bus, Subjects.registry.instance.createIntegration, { id });
  }
}

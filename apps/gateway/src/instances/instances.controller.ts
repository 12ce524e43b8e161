import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ClientAppRequest, ListInstancesRequest, RegisterInstanceRequest, Subjects, UpdateInstanceBody, type AuthorizeTokenReply,
  type IntegrationWithSecret, type Page, type PlatformInstanceView, type ProviderView,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { RUNTIME, type ServiceRuntime } from '@tessera/runtime';
import type { FastifyReply } from 'fastify';
import { bindState } from '../broker/state-binding.js';
import { ADMIN_PERMISSION, PermissionGuard, RequirePermission } from '../http/admin.guard.js';
import { notFoundUnlessUuid } from '../http/ids.js';

@Controller('admin/instances')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN_PERMISSION)
export class InstancesController {
  constructor(private readonly bus: BusClient, @Inject(RUNTIME) private readonly runtime: ServiceRuntime) {}

  @Post()
  @HttpCode(201)
  register(@Body() body: RegisterInstanceRequest): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.register, body);
  }

  @Get()
  list(@Query() query: ListInstancesRequest): Promise<Page<PlatformInstanceView>> {
    return this.bus.call(Subjects.registry.instance.list, query);
  }

  @Get(':id')
  get(@Param('id', notFoundUnlessUuid) id: string): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.get, { id });
  }

  /** Changes the address or the authentication; "Use OAuth-based authentication" must name an existing outbound client app. */
  @Patch(':id')
  update(@Param('id', notFoundUnlessUuid) id: string, @Body() body: UpdateInstanceBody): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.update, { ...body, id });
  }

  /** P2PI's outbound client app, its endpoints discovered from the other platform's RFC 8414 metadata. */
  @Post(':id/client-app')
  @HttpCode(201)
  createClientApp(@Param('id', notFoundUnlessUuid) id: string, @Body() body: ClientAppRequest): Promise<ProviderView> {
    return this.bus.call(Subjects.registry.instance.createClientApp, { ...body, id });
  }

  /** The "request" link: `{authorizationUrl}` on the other platform. */
  @Post(':id/authorize')
  @HttpCode(200)
  async authorize(@Param('id', notFoundUnlessUuid) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuthorizeTokenReply> {
    const answer = await this.bus.call(Subjects.registry.instance.authorize, { id });
    bindState(reply, answer.authorizationUrl, this.runtime.config.issuer);
    return answer;
  }

  /** Forgets the instance's OAuth token (revoking it at the instance). */
  @Post(':id/deauthorize')
  @HttpCode(200)
  deauthorize(@Param('id', notFoundUnlessUuid) id: string): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.deauthorize, { id });
  }

  /** P6: "each instance is an integration" — creates it here, with the two permissions an instance needs. */
  @Post(':id/integration')
  @HttpCode(201)
  createIntegration(@Param('id', notFoundUnlessUuid) id: string): Promise<IntegrationWithSecret> {
    return this.bus.call(Subjects.registry.instance.createIntegration, { id });
  }
}

import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ClientAppRequest,
  CreateInstanceIntegrationBody,
  ListInstancesRequest,
  RegisterInstanceRequest,
  Subjects,
  UpdateInstanceBody,
  type AuthorizeTokenReply,
  type IntegrationWithSecret,
  type PlatformInstancePage,
  type PlatformInstanceView,
  type ProviderView,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ISSUER } from '@tessera/runtime';
import type { FastifyReply } from 'fastify';
import { bindState } from '../broker/state-binding.js';
import { ADMIN, OPERATOR, PermissionGuard, requireAdminForSecrets, RequirePermission, VIEWER, type AuthenticatedRequest } from '../http/permission.guard.js';
import { notFoundUnlessUuid } from '../http/ids.js';
import { Answers, Refuses } from '../openapi/decorators.js';

@Controller('admin/instances')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class InstancesController {
  constructor(
    private readonly bus: BusClient,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  @RequirePermission(OPERATOR)
  @Answers(201, 'Register a platform instance')
  @Refuses(409)
  @Post()
  @HttpCode(201)
  register(@Body() body: RegisterInstanceRequest): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.register, body);
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'List platform instances')
  @Get()
  list(@Query() query: ListInstancesRequest): Promise<PlatformInstancePage> {
    return this.bus.call(Subjects.registry.instance.list, query);
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'Read a platform instance')
  @Get(':id')
  get(@Param('id', notFoundUnlessUuid) id: string): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.get, { id });
  }

  /** Changes the address or the authentication; "Use OAuth-based authentication" must name an existing outbound client app. */
  @RequirePermission(OPERATOR)
  @Answers(200, 'Change its address or how this platform authenticates to it')
  @Refuses(409)
  @Patch(':id')
  update(@Param('id', notFoundUnlessUuid) id: string, @Body() body: UpdateInstanceBody, @Req() request: AuthenticatedRequest): Promise<PlatformInstanceView> {
    // How this platform authenticates to the other one (a password, a client app) is credentials, and its address is
    // where the token those credentials obtain is sent: neither is an operator's.
    requireAdminForSecrets(request, body, ['auth', 'baseUrl']);
    return this.bus.call(Subjects.registry.instance.update, { ...body, id });
  }

  /**
   * Deletes the record: this platform's OAuth token for the instance is revoked there (RFC 7009) and deleted here, the
   * outbound client app deleted, a stored password forgotten. The integration the instance uses to call this platform
   * stays (an integration like any other).
   */
  @Answers(204, "Delete the record: its OAuth token revoked at the instance and deleted, its client app deleted; the instance's integration here stays")
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', notFoundUnlessUuid) id: string): Promise<void> {
    await this.bus.call(Subjects.registry.instance.delete, { id });
  }

  /**
   * P2PI's outbound client app, its endpoints discovered from the other platform's RFC 8414 metadata and the
   * credentials checked at its token endpoint; the instance's existing client app is updated rather than another added.
   */
  @Answers(201, 'Store the client credentials the other platform issued to this one (its outbound client app), checked there first')
  @Refuses(409, 502)
  @Post(':id/client-app')
  @HttpCode(201)
  createClientApp(@Param('id', notFoundUnlessUuid) id: string, @Body() body: ClientAppRequest): Promise<ProviderView> {
    return this.bus.call(Subjects.registry.instance.createClientApp, { ...body, id });
  }

  /** The "request" link: `{authorizationUrl}` on the other platform. */
  @RequirePermission(OPERATOR)
  @Answers(200, 'The "request" link: where the other platform\'s admin consents')
  @Refuses(409)
  @Post(':id/authorize')
  @HttpCode(200)
  async authorize(@Param('id', notFoundUnlessUuid) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuthorizeTokenReply> {
    const answer = await this.bus.call(Subjects.registry.instance.authorize, { id });
    bindState(reply, answer.authorizationUrl, this.issuer);
    return answer;
  }

  /** Forgets the instance's OAuth token (revoking it at the instance). */
  @RequirePermission(OPERATOR)
  @Answers(200, 'Forget (and revoke) the OAuth token held for the instance')
  @Post(':id/deauthorize')
  @HttpCode(200)
  deauthorize(@Param('id', notFoundUnlessUuid) id: string): Promise<PlatformInstanceView> {
    return this.bus.call(Subjects.registry.instance.deauthorize, { id });
  }

  /**
   * Each platform instance that calls this one is an integration here: created with the two permissions an instance
   * needs, and either an app secret or (private_key_jwt) the JWKS URL the instance's metadata announces.
   */
  @Answers(201, "Create the instance's integration on this platform (each platform instance that calls this one is an integration)")
  @Refuses(409)
  @Post(':id/integration')
  @HttpCode(201)
  createIntegration(@Param('id', notFoundUnlessUuid) id: string, @Body() body: CreateInstanceIntegrationBody): Promise<IntegrationWithSecret> {
    return this.bus.call(Subjects.registry.instance.createIntegration, { ...body, id });
  }
}

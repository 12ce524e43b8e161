import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  CreateTokenRequest,
  ListTokensRequest,
  Subjects,
  TokenChanges,
  type AuthorizeTokenReply,
  type OutboundTokenPage,
  type OutboundTokenView,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ISSUER } from '@tessera/runtime';
import type { FastifyReply } from 'fastify';
import {
  ADMIN,
  callerRole,
  OPERATOR,
  PermissionGuard,
  requireAdminForSecrets,
  RequirePermission,
  VIEWER,
  type AuthenticatedRequest,
} from '../http/permission.guard.js';
import { Answers, Refuses } from '../openapi/decorators.js';
import { bindState } from './state-binding.js';

const tokenId = () => new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ error: 'not_found', message: 'No token has that id' }) });

/** Outbound tokens: /admin/tokens. Access and refresh tokens and passwords are never returned here. */
@Controller('admin/tokens')
@UseGuards(PermissionGuard)
@RequirePermission(ADMIN)
export class TokensController {
  constructor(
    private readonly bus: BusClient,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  @RequirePermission(OPERATOR)
  @Answers(201, 'Create an outbound token')
  @Refuses(409)
  @Post()
  @HttpCode(201)
  create(@Body() body: CreateTokenRequest, @Req() request: AuthenticatedRequest): Promise<OutboundTokenView> {
    // The baseUrl is where the token and its callers' requests go: choosing it is handling a secret.
    requireAdminForSecrets(request, body, ['password', 'baseUrl']);
    return this.bus.call(Subjects.broker.token.create, { ...body, callerRole: callerRole(request) });
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'List outbound tokens')
  @Get()
  list(@Query() query: ListTokensRequest): Promise<OutboundTokenPage> {
    return this.bus.call(Subjects.broker.token.list, query);
  }

  @RequirePermission(VIEWER)
  @Answers(200, 'Read an outbound token')
  @Get(':id')
  get(@Param('id', tokenId()) id: string): Promise<OutboundTokenView> {
    return this.bus.call(Subjects.broker.token.get, { id });
  }

  /** active, scopes, prompt, variables and baseUrl; everything else about a token is its provider's or read-only. */
  @RequirePermission(OPERATOR)
  @Answers(200, 'Change an outbound token')
  @Patch(':id')
  update(@Param('id', tokenId()) id: string, @Body() body: TokenChanges, @Req() request: AuthenticatedRequest): Promise<OutboundTokenView> {
    // As at creation: the baseUrl is where the token and its callers' requests go, an admin's choice.
    requireAdminForSecrets(request, body, ['password', 'baseUrl']);
    return this.bus.call(Subjects.broker.token.update, { ...body, id, callerRole: callerRole(request) });
  }

  /** Like every DELETE: 204 No Content. */
  @RequirePermission(OPERATOR)
  @Answers(204, 'Delete an outbound token')
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', tokenId()) id: string): Promise<void> {
    await this.bus.call(Subjects.broker.token.delete, { id });
  }

  /** The console's "get authorization token" button: where to send the browser. */
  @RequirePermission(OPERATOR)
  @Answers(200, '"Get authorization token": where to send the browser (sets the state cookie)')
  @Refuses(409)
  @Post(':id/authorize')
  @HttpCode(200)
  async authorize(@Param('id', tokenId()) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuthorizeTokenReply> {
    const answer = await this.bus.call(Subjects.broker.token.authorize, { id });
    bindState(reply, answer.authorizationUrl, this.issuer);
    return answer;
  }

  @RequirePermission(OPERATOR)
  @Answers(200, 'Refresh now')
  @Refuses(409)
  @Post(':id/refresh')
  @HttpCode(200)
  refresh(@Param('id', tokenId()) id: string): Promise<OutboundTokenView> {
    return this.bus.call(Subjects.broker.token.refresh, { id });
  }

  @RequirePermission(OPERATOR)
  @Answers(200, 'Revoke the token (at the provider too, when it has a revocation endpoint)')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param('id', tokenId()) id: string): Promise<OutboundTokenView> {
    return this.bus.call(Subjects.broker.token.revoke, { id });
  }
}

import { Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Inject, Param, Patch, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import {
  CreateSsfStreamRequest,
  SSF_DELIVERY_METHODS,
  SSF_RECEIVER_PERMISSION,
  SsfPollRequest,
  SsfStreamQuery,
  SsfStreamRef,
  SsfSubjectRequest,
  SsfVerificationRequest,
  Subjects,
  UpdateSsfStatusRequest,
  UpdateSsfStreamRequest,
  type SsfConfiguration,
  type SsfPollResponse,
  type SsfStreamConfiguration,
  type SsfStreamStatus,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { isCovered, parseScope } from '@tessera/permissions';
import { ISSUER } from '@tessera/runtime';
import { PermissionGuard, RequirePermission, type AuthenticatedRequest } from '../http/permission.guard.js';
import { Answers, Refuses } from '../openapi/decorators.js';

/** RFC 8936 long polling: a poll with nothing waiting is held this long at most, looking again every LOOK_MS. */
const LONG_POLL_MS = 10_000;
const LOOK_MS = 500;

/**
 * The Shared Signals transmitter's HTTP side (OpenID SSF 1.0, ADR 0049): its metadata, and the endpoints a receiver — an
 * integration holding `*:ssf=receive` — manages its own streams and polls with. auth-server keeps the streams.
 */
@Controller()
@UseGuards(PermissionGuard)
export class SsfController {
  constructor(
    private readonly bus: BusClient,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  @Answers(200, 'Shared Signals transmitter configuration metadata (SSF 1.0 §7)')
  @Get('.well-known/ssf-configuration')
  configuration(): SsfConfiguration {
    const { issuer } = this;
    return {
      spec_version: '1_0',
      issuer,
      jwks_uri: `${issuer}/oauth/jwks`,
      delivery_methods_supported: [...SSF_DELIVERY_METHODS],
      configuration_endpoint: `${issuer}/ssf/streams`,
      status_endpoint: `${issuer}/ssf/status`,
      add_subject_endpoint: `${issuer}/ssf/subjects/add`,
      remove_subject_endpoint: `${issuer}/ssf/subjects/remove`,
      verification_endpoint: `${issuer}/ssf/verify`,
      critical_subject_members: [],
      authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
      default_subjects: 'NONE',
    };
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(201, 'Create a stream (SSF 1.0 §8.1.1.1)')
  @Refuses(409)
  @Post('ssf/streams')
  @HttpCode(201)
  create(@Body() body: CreateSsfStreamRequest, @Req() request: AuthenticatedRequest): Promise<SsfStreamConfiguration> {
    return this.bus.call(Subjects.auth.ssf.stream.create, { ...body, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, "Read a stream; without stream_id, all of the receiver's streams (an array)")
  @Refuses(404)
  @Get('ssf/streams')
  get(@Query() query: SsfStreamQuery, @Req() request: AuthenticatedRequest): Promise<SsfStreamConfiguration | SsfStreamConfiguration[]> {
    return this.bus.call(Subjects.auth.ssf.stream.get, { ...query, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, 'Change a stream: the fields sent (SSF 1.0 §8.1.1.3)')
  @Refuses(404)
  @Patch('ssf/streams')
  update(@Body() body: UpdateSsfStreamRequest, @Req() request: AuthenticatedRequest): Promise<SsfStreamConfiguration> {
    return this.bus.call(Subjects.auth.ssf.stream.update, { ...body, receiver: receiverOf(request), replace: false });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, 'Replace a stream configuration (SSF 1.0 §8.1.1.4)')
  @Refuses(404)
  @Put('ssf/streams')
  replace(@Body() body: UpdateSsfStreamRequest, @Req() request: AuthenticatedRequest): Promise<SsfStreamConfiguration> {
    return this.bus.call(Subjects.auth.ssf.stream.update, { ...body, receiver: receiverOf(request), replace: true });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(204, 'Delete a stream and the SETs it holds (SSF 1.0 §8.1.1.5)')
  @Refuses(404)
  @Delete('ssf/streams')
  @HttpCode(204)
  async delete(@Query() query: SsfStreamRef, @Req() request: AuthenticatedRequest): Promise<void> {
    await this.bus.call(Subjects.auth.ssf.stream.delete, { ...query, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, 'Read a stream status (SSF 1.0 §8.1.2.1)')
  @Refuses(404)
  @Get('ssf/status')
  status(@Query() query: SsfStreamRef, @Req() request: AuthenticatedRequest): Promise<SsfStreamStatus> {
    return this.bus.call(Subjects.auth.ssf.status.get, { ...query, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, 'Enable, pause or disable a stream (SSF 1.0 §8.1.2.2)')
  @Refuses(404)
  @Post('ssf/status')
  @HttpCode(200)
  updateStatus(@Body() body: UpdateSsfStatusRequest, @Req() request: AuthenticatedRequest): Promise<SsfStreamStatus> {
    return this.bus.call(Subjects.auth.ssf.status.update, { ...body, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, 'Add a subject to a stream (SSF 1.0 §8.1.3.2)')
  @Refuses(404)
  @Post('ssf/subjects/add')
  @HttpCode(200)
  async addSubject(@Body() body: SsfSubjectRequest, @Req() request: AuthenticatedRequest): Promise<Record<string, never>> {
    return this.bus.call(Subjects.auth.ssf.subject.add, { ...body, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(204, 'Remove a subject from a stream (SSF 1.0 §8.1.3.3)')
  @Refuses(404)
  @Post('ssf/subjects/remove')
  @HttpCode(204)
  async removeSubject(@Body() body: SsfSubjectRequest, @Req() request: AuthenticatedRequest): Promise<void> {
    await this.bus.call(Subjects.auth.ssf.subject.remove, { ...body, receiver: receiverOf(request) });
  }

  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(204, 'Ask for a verification event on a stream (SSF 1.0 §8.1.4.2)')
  @Refuses(404, 409, 429)
  @Post('ssf/verify')
  @HttpCode(204)
  async verify(@Body() body: SsfVerificationRequest, @Req() request: AuthenticatedRequest): Promise<void> {
    await this.bus.call(Subjects.auth.ssf.verify, { ...body, receiver: receiverOf(request) });
  }

  /**
   * RFC 8936: acknowledge SETs and receive the next ones. Unless `returnImmediately`, a poll finding nothing is held
   * here (not in auth-server, whose bus answers are short) until something arrives or LONG_POLL_MS pass.
   */
  @RequirePermission(SSF_RECEIVER_PERMISSION)
  @Answers(200, 'Poll a stream for SETs and acknowledge those received (RFC 8936)')
  @Refuses(404)
  @Post('ssf/poll/:streamId')
  @HttpCode(200)
  async poll(@Param('streamId') streamId: string, @Body() body: SsfPollRequest, @Req() request: AuthenticatedRequest): Promise<SsfPollResponse> {
    const command = { ...body, stream_id: streamId, receiver: receiverOf(request) };
    const deadline = Date.now() + LONG_POLL_MS;
    let answer = await this.bus.call(Subjects.auth.ssf.poll, command);
    const wait = body.returnImmediately !== true && body.maxEvents !== 0;
    while (wait && !Object.keys(answer.sets).length && Date.now() + LOOK_MS < deadline) {
      await new Promise((resolve) => setTimeout(resolve, LOOK_MS));
      answer = await this.bus.call(Subjects.auth.ssf.poll, { ...command, ack: [], setErrs: {} });
    }
    return answer;
  }
}

/**
 * A receiver is the integration its access token was issued to: it sees its own streams and no one else's. The
 * permission itself is needed, not a role that would cover it: an administrator's session is no receiver (every
 * administrator would share the streams of `tessera-admin`).
 */
function receiverOf(request: AuthenticatedRequest): string {
  if (!isCovered(parseScope(request.user?.scope), SSF_RECEIVER_PERMISSION)) {
    throw new HttpException(
      { error: 'forbidden', message: `A Shared Signals receiver is an integration holding ${SSF_RECEIVER_PERMISSION}` },
      HttpStatus.FORBIDDEN,
    );
  }
  return request.user!.client_id;
}

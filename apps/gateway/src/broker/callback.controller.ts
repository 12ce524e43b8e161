import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { AuthorizationCallbackRequest, BusError, Subjects } from '@tessera/contracts';
import { randomToken } from '@tessera/crypto';
import { BusClient } from '@tessera/messaging';
import { ISSUER } from '@tessera/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerStatus } from '../http/rest-error.filter.js';
import { HtmlPage, QueryParameters } from '../openapi/decorators.js';
import { callbackPage, callbackPageCsp } from './callback-page.js';
import { takeBoundState } from './state-binding.js';

/**
 * Where providers send the browser back after the "get authorization token" button (the redirect URI to register with
 * them: <issuer>/oauth/callback). Answers with a page for the human, never with a token.
 */
@Controller('oauth')
export class AuthorizationCallbackController {
  constructor(
    private readonly bus: BusClient,
    @Inject(ISSUER) private readonly issuer: string,
  ) {}

  @HtmlPage('Where providers send the browser back (the redirect URI to register with them); a page, never a token', 200, 400, 404, 409)
  @QueryParameters(AuthorizationCallbackRequest)
  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const pick = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : undefined);
    const payload = Object.fromEntries(['code', 'state', 'error', 'error_description'].map((k) => [k, pick(k)]).filter(([, v]) => v !== undefined));
    const nonce = randomToken(16);
    void reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', callbackPageCsp(nonce));
    // The state must come back to the browser that started the authorization; otherwise nothing is exchanged.
    if (!takeBoundState(request, reply, pick('state'), this.issuer)) {
      const detail = 'This authorization was not started in this browser (or it expired). Start it again from the console.';
      return void reply.status(400).send(callbackPage({ ok: false, title: 'Authorization failed', detail }, nonce));
    }
    try {
      const result = await this.bus.call(Subjects.broker.token.callback, payload);
      void reply.status(200).send(callbackPage({ ok: true, title: 'Authorization complete', detail: `Token "${result.name}" is now ${result.state}.` }, nonce));
    } catch (error) {
      const status = answerStatus(reply, error);
      const detail = error instanceof BusError ? error.message : 'Something went wrong while completing the authorization.';
      void reply.status(status).send(callbackPage({ ok: false, title: 'Authorization failed', detail }, nonce));
    }
  }
}

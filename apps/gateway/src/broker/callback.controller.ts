import { Controller, Get, Query, Res } from '@nestjs/common';
import { BusError, Subjects, type AuthorizationCallbackReply } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply } from 'fastify';
import { call } from '../http/bus-call.js';
import { HTTP_STATUS_FOR } from '../http/bus-error.filter.js';
import { callbackPage } from './callback-page.js';

/**
 * Where providers send the browser back after the "get authorization token" button (the redirect URI to register with
 * them: <issuer>/oauth/callback). Answers with a page for the human, never with a token.
 */
@Controller('oauth')
export class AuthorizationCallbackController {
  constructor(private readonly bus: BusClient) {}

  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const pick = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : undefined);
    const payload = Object.fromEntries(['code', 'state', 'error', 'error_description'].map((k) => [k, pick(k)]).filter(([, v]) => v !== undefined));
    void reply.header('cache-control', 'no-store').header('content-type', 'text/html; charset=utf-8');
    try {
      const result = await call<AuthorizationCallbackReply>(this.bus, Subjects.broker.token.callback, payload);
      void reply.status(200).send(callbackPage({ ok: true, title: 'Authorization complete', detail: `Token "${result.name}" is now ${result.state}.` }));
    } catch (error) {
      const status = error instanceof BusError ? HTTP_STATUS_FOR[error.code] : 500;
      const detail = error instanceof BusError ? error.message : 'Something went wrong while completing the authorization.';
      void reply.status(status).send(callbackPage({ ok: false, title: 'Authorization failed', detail }));
    }
  }
}

import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import {
  BusError,
  CLIENT_JWKS_METADATA_MEMBER,
  CLIENT_JWKS_PATH,
  clientAuthenticationMetadata,
  INTEGRATION_GRANT_TYPES,
  PLATFORM_SCOPES,
  Subjects,
  TokenEndpointForm,
  TokenForm,
  type AuthorizationServerMetadata,
} from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import { ISSUER } from '@tessera/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../http/client-address.js';
import { Answers, OAuthForm } from '../openapi/decorators.js';
import { oauthErrorCode } from '../http/rest-error.filter.js';
import { clientAuthentication, dpopProof, formParameters } from './oauth-request.js';
import { TokenEndpointMetrics } from './token-endpoint-metrics.js';

/** The OAuth 2 endpoints: the gateway parses and authenticates nothing itself; auth-server decides. */
@Controller()
export class OAuthController {
  constructor(
    private readonly bus: BusClient,
    @Inject(ISSUER) private readonly issuer: string,
    private readonly metrics: TokenEndpointMetrics,
  ) {}

  /** RFC 8414 authorization server metadata. */
  @Answers(200, 'RFC 8414 authorization server metadata')
  @Get('.well-known/oauth-authorization-server')
  metadata(): AuthorizationServerMetadata {
    const { issuer } = this;
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/oauth/jwks`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      grant_types_supported: [...INTEGRATION_GRANT_TYPES],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      ...clientAuthenticationMetadata(),
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: [...PLATFORM_SCOPES],
      service_documentation: 'https://github.com/tessera-auth/tessera#readme',
      [CLIENT_JWKS_METADATA_MEMBER]: `${issuer}${CLIENT_JWKS_PATH}`,
    };
  }

  @Answers(200, 'The public signing keys (JWKS); cacheable for 5 minutes')
  @Get('oauth/jwks')
  async jwks(@Res() reply: FastifyReply) {
    const keys = await this.bus.call(Subjects.auth.jwks.get, {});
    void reply.header('Cache-Control', 'public, max-age=300').send(keys);
  }

  @Answers(200, 'The public keys this platform signs its client assertions with when it calls other platforms (JWKS); cacheable for 5 minutes')
  @Get('oauth/client-jwks')
  async clientJwks(@Res() reply: FastifyReply) {
    const keys = await this.bus.call(Subjects.registry.clientKey.jwks, {});
    void reply.header('Cache-Control', 'public, max-age=300').send(keys);
  }

  @Answers(200, 'Issue tokens: client_credentials, refresh_token (rotated, re-use detected), authorization_code with PKCE S256')
  @OAuthForm(TokenEndpointForm, 401, 429)
  @ApiSecurity('clientSecretBasic')
  @ApiSecurity({})
  @Post('oauth/token')
  async token(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const started = performance.now();
    let clientId: string | undefined;
    try {
      await this.oauthCall(request, async (params, client) => {
        clientId = client.clientId;
        const response = await this.bus.call(Subjects.auth.token.issue, { client, address: clientAddress(request), params, dpop: dpopProof(request) });
        void reply.status(200).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response);
      });
      this.metrics.answered(grantTypeOf(request), 'success', started, clientId);
    } catch (error) {
      this.metrics.answered(grantTypeOf(request), oauthErrorCode(error), started, clientId);
      throw error;
    }
  }

  @Answers(200, 'RFC 7662 token introspection')
  @OAuthForm(TokenForm, 401, 429)
  @ApiSecurity('clientSecretBasic')
  @ApiSecurity({})
  @Post('oauth/introspect')
  async introspect(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.oauthCall(request, async (params, client) => {
      if (!params.token) throw BusError.oauth('invalid_request', 'token is required');
      const response = await this.bus.call(Subjects.auth.token.introspect, {
        client,
        address: clientAddress(request),
        token: params.token,
        tokenTypeHint: params.token_type_hint,
      });
      void reply.status(200).header('Cache-Control', 'no-store').send(response);
    });
  }

  @Answers(200, 'RFC 7009 token revocation (200 for an unknown token too)')
  @OAuthForm(TokenForm, 401, 429)
  @ApiSecurity('clientSecretBasic')
  @ApiSecurity({})
  @Post('oauth/revoke')
  async revoke(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.oauthCall(request, async (params, client) => {
      if (!params.token) throw BusError.oauth('invalid_request', 'token is required');
      await this.bus.call(Subjects.auth.token.revoke, { client, address: clientAddress(request), token: params.token, tokenTypeHint: params.token_type_hint });
      void reply.status(200).header('Cache-Control', 'no-store').send({});
    });
  }

  /** Errors are answered as RFC 6749 §5.2 JSON by the one error map (http/rest-error.filter.ts). */
  private async oauthCall(request: FastifyRequest, work: (params: Record<string, string>, client: ReturnType<typeof clientAuthentication>) => Promise<void>) {
    const params = formParameters(request);
    await work(params, clientAuthentication(request, params));
  }
}

/** The grant type asked for, as sent (a request refused before its parameters were read still has one). */
function grantTypeOf(request: FastifyRequest): string | undefined {
  const grantType = (request.body as Record<string, unknown> | undefined)?.grant_type;
  return typeof grantType === 'string' ? grantType : undefined;
}

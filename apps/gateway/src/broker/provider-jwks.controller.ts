import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';
import type { FastifyReply } from 'fastify';
import { Answers } from '../openapi/decorators.js';

/**
 * The public half of a provider's signing keys (private_key_jwt, jwt_bearer), at a URL that stays the same across
 * rotations: the provider registers it once and fetches it again when an assertion names a kid it does not know.
 * Public keys only, so no authentication; a provider without keys is not found.
 */
@Controller('providers')
export class ProviderJwksController {
  constructor(private readonly bus: BusClient) {}

  @Answers(200, "A provider's public signing keys (JWK Set), to register at the provider; cacheable for 5 minutes")
  @Get(':id/jwks.json')
  async jwks(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ error: 'not_found', message: 'No provider has that id' }) })) id: string,
    @Res() reply: FastifyReply,
  ) {
    const keys = await this.bus.call(Subjects.broker.provider.jwks, { id });
    // Short enough that a rotation reaches a provider that caches within minutes, long enough to spare the broker.
    void reply.header('Cache-Control', 'public, max-age=300').send(keys);
  }
}

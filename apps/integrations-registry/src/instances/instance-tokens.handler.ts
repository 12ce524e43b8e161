import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope } from '@tessera/contracts';
import { InstanceTokensService, type TokenEventData } from './instance-tokens.service.js';

/** The broker's token events, followed on the platform instance records. */
@Controller()
export class InstanceTokensHandler {
  constructor(private readonly tokens: InstanceTokensService) {}

  @EventPattern([
    Events.outboundTokenAuthorized,
    Events.outboundTokenRefreshed,
    Events.outboundTokenRecovered,
    Events.outboundTokenRefreshFailed,
    Events.outboundTokenRevoked,
  ])
  onTokenEvent(@Payload() event: EventEnvelope<TokenEventData>): Promise<void> {
    return this.tokens.follow(event);
  }
}

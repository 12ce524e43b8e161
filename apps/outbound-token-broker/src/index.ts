import { Module } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type RunningMicroservice, type ServiceRuntime } from '@tessera/runtime';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';
import { PeerInstance } from './instances/peer-instance.entity.js';
import { PeerInstancesHandler } from './instances/peer-instances.handler.js';

export const SERVICE_NAME = 'outbound-token-broker';

@Module({ controllers: [PeerInstancesHandler] })
class PeerInstancesModule {}

/** OAuth providers, outbound tokens and their refresh scheduler; schema `broker`. */
export function startOutboundTokenBroker(runtime: ServiceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    schema: 'broker',
    pingSubject: Subjects.broker.ping,
    entities: [PeerInstance],
    migrations: [Initial1764000000000],
    imports: [PeerInstancesModule],
  });
}

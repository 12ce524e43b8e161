import { Module } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { bootMicroservice, type RunningMicroservice, type ServiceRuntime } from '@tessera/runtime';
import { KnownInstance } from './instances/known-instance.entity.js';
import { KnownInstancesHandler } from './instances/known-instances.handler.js';
import { Initial1764000000000 } from './migrations/1764000000000-initial.js';

export const SERVICE_NAME = 'auth-server';

@Module({ controllers: [KnownInstancesHandler] })
class KnownInstancesModule {}

/** Tokens, signing keys, introspection and revocation; schema `auth`. */
export function startAuthServer(runtime: ServiceRuntime): Promise<RunningMicroservice> {
  return bootMicroservice(runtime, {
    service: SERVICE_NAME,
    schema: 'auth',
    pingSubject: Subjects.auth.ping,
    entities: [KnownInstance],
    migrations: [Initial1764000000000],
    imports: [KnownInstancesModule],
  });
}

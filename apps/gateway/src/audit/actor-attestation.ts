import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { ActorAttestor, type Bus, type Stoppable } from '@tessera/messaging';
import type { RequestContext } from '@tessera/observability';
import { BUS, busCredentialOf, RUNTIME, type ServiceRuntime } from '@tessera/runtime';

/**
 * The gateway vouches for the person behind a request: the permission guard, once it has set the actor from a verified
 * session, has this sign it (with the gateway's bus nkey) into the request's context, which every bus call carries on.
 * It is the guard's step rather than a global interceptor so that routes without a person (the token endpoint) run no
 * interceptor pipeline (an rxjs chain per request). The audit log
 * names a person only on lines that carry such a statement (ADR 0027); other services can name themselves or an
 * integration, not an administrator. On an open or in-process bus there is no key, and nothing to vouch against.
 */
@Injectable()
export class ActorAttestation implements OnModuleInit, OnApplicationShutdown {
  private readonly attestor?: ActorAttestor;
  private serving?: Stoppable;

  constructor(
    @Inject(RUNTIME) runtime: ServiceRuntime,
    @Inject(BUS) private readonly bus: Bus,
  ) {
    this.attestor = ActorAttestor.fromCredential(busCredentialOf(runtime.config, 'gateway'));
  }

  onModuleInit(): void {
    const attestor = this.attestor;
    // Only the gateway's credential may serve this subject, and callers accept the answer only from the gateway.
    this.serving = this.bus.serve(Subjects.gateway.actorKey.get, 'gateway', async () =>
      attestor
        ? { ok: true, data: { publicKey: attestor.publicKey } }
        : { ok: false, error: { code: 'not_found', message: 'This gateway has no bus credential, so it signs no statements' } },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.serving?.stop();
  }

  /** Signs the request's actor into its context when it is a person. */
  vouch(request: RequestContext): void {
    if (this.attestor && request.actor?.type === 'user') request.actorProof = this.attestor.attest(request.actor, request.requestId);
  }
}

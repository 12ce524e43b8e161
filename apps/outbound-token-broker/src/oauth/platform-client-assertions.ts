import { Injectable } from '@nestjs/common';
import { Subjects } from '@tessera/contracts';
import { BusClient } from '@tessera/messaging';

/**
 * private_key_jwt with this platform's client key (P2PI without shared secrets): the registry keeps the key and signs;
 * the broker asks for one assertion per request, so the private key never leaves the registry.
 */
@Injectable()
export class PlatformClientAssertions {
  constructor(private readonly bus: BusClient) {}

  signerFor(clientId: string): (audience: string) => Promise<string> {
    return async (audience) => (await this.bus.call(Subjects.registry.clientKey.sign, { clientId, audience })).assertion;
  }
}

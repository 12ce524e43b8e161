import type { BusClient } from '@tessera/messaging';
import { firstValueFrom } from 'rxjs';

/** Sends a request over the bus and resolves with the reply (BusError on failure, 'unavailable' on timeout). */
export function call<T>(client: BusClient, subject: string, payload: object): Promise<T> {
  return firstValueFrom(client.send<T>(subject, payload));
}

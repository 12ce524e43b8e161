import { runProcess } from '@tessera/runtime';
import type { MicroserviceRuntime } from './microservice.js';

/** Runs one database-backed service as its own process: `runProcess`, with DATABASE_URL required and handed on. */
export function runServiceProcess(service: string, start: (runtime: MicroserviceRuntime) => Promise<{ stop(): Promise<void> }>): Promise<void> {
  return runProcess(service, { opensDatabase: true }, (runtime) =>
    start({ ...runtime, database: { url: runtime.config.databaseUrl!, transactionPooler: runtime.config.databasePooler === 'transaction' } }),
  );
}

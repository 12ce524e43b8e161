import { ConfigError, loadConfig } from '@tessera/config';
import { createLogger, startTracing, systemClock } from '@tessera/observability';
import { resolveEncryptionKey } from './encryption-key.js';
import { onParentGone } from './parent.js';
import { createBus, startProcessMetrics, type ServiceRuntime } from './runtime.js';

/**
 * How long an orphaned process (its launcher gone) may take to stop cleanly: nobody is left to kill it if it hangs,
 * so it exits on its own after the launcher's own stop timeout.
 */
const ORPHAN_STOP_TIMEOUT_MS = 15_000;

export interface ProcessOptions {
  /** Whether this process opens the database: a service does (DATABASE_URL and NATS_URL); the gateway needs only NATS_URL. */
  opensDatabase: boolean;
}

/**
 * A bad bus setting in one line, or undefined for any other failure: a credential the server does not know (revoked,
 * rotated, another platform's) or a TLS set-up that does not match the server's. Never quotes the credential.
 */
export function busRefusal(error: unknown): string | undefined {
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? error} ${(error as { code?: string })?.code ?? ''}`;
  if (/authorization|authentication|AUTHORIZATION_VIOLATION|nkey|seed|credential|creds/i.test(text)) {
    return "NATS refused this service's credential (NATS_CREDS / TESSERA_NATS_CREDENTIALS): check it is this platform's and current (`npm run nats:config`)";
  }
  if (/tls|certificate|ssl|self.signed|unable to verify|handshake/i.test(text)) {
    return `the TLS link to NATS failed (NATS_TLS_CA / NATS_TLS_CERT / NATS_TLS_KEY): ${(error as Error)?.message ?? error}`;
  }
  return undefined;
}

/**
 * Runs one service as its own process (distributed mode): reads the configuration, connects the bus, starts the
 * service and stops it cleanly on SIGINT/SIGTERM (in-flight messages finish, consumers drain). Loads nothing of the
 * database side, so the gateway's process never loads TypeORM or pg (a service's comes from @tessera/service-runtime).
 * Started by the launcher, it also stops when the launcher goes, however it goes: a second `npm start` never finds a
 * first set of services still serving.
 */
export async function runProcess(
  service: string,
  options: ProcessOptions,
  start: (runtime: ServiceRuntime) => Promise<{ stop(): Promise<void> }>,
): Promise<void> {
  // Until the service runs there is nothing to drain: an orphan exits at once. Replaced by the clean stop below.
  let orphaned = (): void => process.exit(0);
  onParentGone(() => {
    setTimeout(() => process.exit(1), ORPHAN_STOP_TIMEOUT_MS).unref();
    orphaned();
  });
  let config;
  try {
    config = loadConfig(undefined, { opensDatabase: options.opensDatabase });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  if (config.mode !== 'distributed') {
    logger.fatal(
      options.opensDatabase
        ? 'a service started on its own needs DATABASE_URL and NATS_URL; use `npm start` for the embedded platform'
        : 'the gateway started on its own needs NATS_URL; use `npm start` for the embedded platform',
    );
    process.exit(2);
  }
  // Before the bus and the database: both are traced only if tracing is on when they are made.
  const tracing = await startTracing(config.tracing, `tessera-${service}`);
  const { metrics, endpoint } = await startProcessMetrics(config, logger);
  let bus;
  try {
    bus = createBus(config, service, logger, metrics);
    await bus.connect();
  } catch (error) {
    const refusal = busRefusal(error);
    if (!refusal) throw error;
    console.error(`${service}: ${refusal}`);
    process.exit(2);
  }
  const encryptionKey = await resolveEncryptionKey(config, logger);
  const running = await start({ config, bus, logger, clock: systemClock, encryptionKey, metrics });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await running.stop().catch((err) => logger.error({ err }, 'error while stopping'));
    await bus.close().catch(() => undefined);
    await endpoint?.stop();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  orphaned = () => void shutdown('launcher gone');
}

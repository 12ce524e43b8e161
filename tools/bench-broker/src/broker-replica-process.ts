import { decodeKey } from '@tessera/crypto';
// One broker replica in its own process (configured by the environment, as in production), reporting its RSS.
import 'reflect-metadata';
import { loadConfig } from '@tessera/config';
import { createLogger, systemClock } from '@tessera/observability';
import { startOutboundTokenBroker } from '@tessera/outbound-token-broker';
import { createBus } from '@tessera/runtime';

const config = loadConfig();
const logger = createLogger({ level: 'warn', service: process.argv[2] ?? 'replica' });
const bus = createBus(config, 'outbound-token-broker', logger);
await bus.connect();
const broker = await startOutboundTokenBroker(
  { config, bus, database: { url: config.databaseUrl!, poolSize: 24 }, logger, clock: systemClock, encryptionKey: decodeKey(config.encryptionKey!) },
  { scheduler: { pollMs: 200, concurrency: 16, providerConcurrency: 64 } },
);
process.send?.({ ready: true });
const timer = setInterval(() => process.send?.({ rss: process.memoryUsage().rss }), 5_000);
process.on('disconnect', () => {
  clearInterval(timer);
  void broker
    .stop()
    .then(() => bus.close())
    .then(() => process.exit(0));
});

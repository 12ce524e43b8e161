// The shared platform's own process, started by shared-platform.global.ts: the built platform (dist/, as `npm start`
// runs it) on the database and subject prefix in its environment, with the broker tests' fast refresh scheduler.
// Prints its address as one JSON line once ready; on SIGTERM stops and deletes its event stream.
import { loadConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { startPlatform } from '@tessera/platform';
import { deleteEventStream } from '@tessera/testing';

const config = loadConfig(process.env);
const platform = await startPlatform(config, {
  logger: createLogger({ level: config.logLevel }),
  host: '127.0.0.1',
  broker: JSON.parse(process.env.TEST_BROKER_OPTIONS ?? '{}'),
});
process.stdout.write(`${JSON.stringify({ url: platform.url })}\n`);
process.once('SIGTERM', async () => {
  await platform.stop();
  await deleteEventStream(config);
  process.exit(0);
});

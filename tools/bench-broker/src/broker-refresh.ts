import { decodeKey } from '@tessera/crypto';
// Refreshes per second: N client_credentials tokens against a local fake provider, all made due at once, refreshed
// by the broker's scheduler (claim with SKIP LOCKED, advisory lock per token, provider call, sealed write, outbox event).
// Usage: npm run bench:broker-refresh   (BENCH_TOKENS=5000 BENCH_CONCURRENCY=32 BENCH_POOL=40 to change)
import 'reflect-metadata';
import { Subjects } from '@tessera/contracts';
import { BusClient, NatsBus } from '@tessera/messaging';
import { createLogger, systemClock } from '@tessera/observability';
import { startOutboundTokenBroker } from '@tessera/outbound-token-broker';
import { createTestDatabase, deleteEventStream, testConfig } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { describeMachine, env, startFakeProviderProcess } from './machine.js';

const TOKENS = env('BENCH_TOKENS', 5000);
const CONCURRENCY = env('BENCH_CONCURRENCY', 32);
const POOL = env('BENCH_POOL', CONCURRENCY + 8);

const database = await createTestDatabase();
const config = testConfig(database, { TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), TESSERA_BUS_TIMEOUT_MS: '30000' });
const logger = createLogger({ level: 'warn' });
const fake = await startFakeProviderProcess();
const bus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'bench', logger });
await bus.connect();
const broker = await startOutboundTokenBroker(
  { config, bus, database: { url: database.url, poolSize: POOL }, logger, clock: systemClock, encryptionKey: decodeKey(config.encryptionKey!) },
  { scheduler: { pollMs: 20, concurrency: CONCURRENCY, providerConcurrency: CONCURRENCY } },
);
try {
  console.log(await describeMachine(database.url));
  console.log(`tokens: ${TOKENS}, scheduler concurrency ${CONCURRENCY}, pool ${POOL}`);
  const client = new BusClient(bus, 30_000);
  const provider = await client.call(Subjects.broker.provider.create, {
    name: 'bench',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token`,
  });
  // Tokens are created through the broker's own API, which fetches each as it is created (the access is then a cache hit).
  for (let i = 0; i < TOKENS; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, TOKENS - i) }, (_, j) =>
        client
          .call(Subjects.broker.token.create, { name: `t-${i + j}`, providerId: provider.id })
          .then(() => client.call(Subjects.broker.token.access, { name: `t-${i + j}` })),
      ),
    );
  }
  const [{ before }] = await database.query<{ before: string }>(`SELECT count(*) AS before FROM broker.outbound_token WHERE last_refreshed_at IS NOT NULL`);
  if (Number(before) !== TOKENS) throw new Error(`only ${before} of ${TOKENS} tokens were fetched`);
  // Make every token due now: the only place the benchmark reaches past the API, to start all refreshes at once.
  const started = Date.now();
  await database.query(`UPDATE broker.outbound_token SET next_refresh_at = now()`);
  for (;;) {
    const [{ pending }] = await database.query<{ pending: string }>(
      `SELECT count(*) AS pending FROM broker.outbound_token WHERE last_refreshed_at < to_timestamp($1 / 1000.0)`,
      [started],
    );
    if (Number(pending) === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (Date.now() - started) / 1000;
  const [{ events }] = await database.query<{ events: string }>(
    `SELECT count(*) AS events FROM broker.outbox_event WHERE type = 'tessera.events.broker.token.refreshed' AND occurred_at >= to_timestamp($1 / 1000.0)`,
    [started],
  );
  console.log(
    `refreshed ${TOKENS} tokens in ${seconds.toFixed(2)} s: ${Math.round(TOKENS / seconds)} refreshes/s (one broker replica); ${events} refreshed events recorded`,
  );
} finally {
  await broker.stop();
  await bus.close();
  fake.stop();
  await deleteEventStream(config);
  await database.drop();
}

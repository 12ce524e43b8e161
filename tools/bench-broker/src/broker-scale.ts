// The 100,000-token scenario: staggered expiries, two broker replicas (separate processes), a fake provider.
// Checks that no token expires while the provider is up, that none is refreshed twice for one expiry (the provider
// sees every token's calls at least half a lifetime apart), and reports each replica's RSS over time.
// Usage: npm run bench:broker-scale   (BENCH_TOKENS=100000 BENCH_LIFETIME_S=120 BENCH_DURATION_S=240 to change)
import 'reflect-metadata';
import { Subjects } from '@tessera/contracts';
import { SecretBox } from '@tessera/crypto';
import { createTestDatabase, deleteEventStream, testConfig } from '@tessera/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, env, startFakeProviderProcess } from './machine.js';
import { BusClient, NatsBus } from '@tessera/messaging';
import { createLogger } from '@tessera/observability';

const TOKENS = env('BENCH_TOKENS', 100_000);
const LIFETIME_S = env('BENCH_LIFETIME_S', 120);
const DURATION_S = env('BENCH_DURATION_S', 240);

const database = await createTestDatabase();
const key = randomBytes(32);
const config = testConfig(database, { TESSERA_ENCRYPTION_KEY: key.toString('base64'), TESSERA_BUS_TIMEOUT_MS: '30000' });
const fake = await startFakeProviderProcess(LIFETIME_S, false);
const replicaEnv = {
  ...process.env,
  DATABASE_URL: config.databaseUrl,
  NATS_URL: config.natsUrl,
  TESSERA_SUBJECT_PREFIX: config.subjectPrefix,
  TESSERA_ENCRYPTION_KEY: config.encryptionKey,
  LOG_LEVEL: 'warn',
};
const here = dirname(fileURLToPath(import.meta.url));
const rss: Record<string, number[]> = { a: [], b: [] };
const replicas: ChildProcess[] = [];
const bus = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'bench', logger: createLogger({ level: 'warn' }) });

async function startReplica(name: 'a' | 'b'): Promise<void> {
  const child = fork(join(here, 'broker-replica-process.js'), [name], { env: replicaEnv as NodeJS.ProcessEnv, stdio: 'inherit' });
  replicas.push(child);
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { ready?: boolean; rss?: number }) => (m.ready ? resolve() : m.rss && rss[name].push(m.rss)));
    child.once('exit', (code) => reject(new Error(`replica ${name} exited with ${code}`)));
  });
}

try {
  console.log(await describeMachine(database.url));
  console.log(`${TOKENS} client_credentials tokens, lifetime ${LIFETIME_S} s (staggered), two replicas, ${DURATION_S} s run`);
  await startReplica('a');
  await startReplica('b');
  await bus.connect();
  const { id: providerId } = await new BusClient(bus, 30_000).call(Subjects.broker.provider.create, {
    name: 'scale',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token/{{account}}`,
    refreshBufferSeconds: 10,
  });

  // Seeding 100,000 tokens through the API would take minutes; rows are written as the broker writes them (sealed
  // with the same key, ids bound as additional data), each issued at a random point of its last lifetime.
  const box = new SecretBox(key, 'outbound-token-broker');
  const seedStarted = Date.now();
  for (let offset = 0; offset < TOKENS; offset += 2000) {
    const ids: string[] = [],
      names: string[] = [],
      variables: string[] = [],
      sealed: string[] = [],
      issued: Date[] = [],
      expires: Date[] = [],
      next: Date[] = [];
    for (let i = offset; i < Math.min(TOKENS, offset + 2000); i++) {
      const id = randomUUID();
      const issuedAt = Date.now() - Math.random() * 0.75 * LIFETIME_S * 1000;
      ids.push(id);
      names.push(`scale-${i}`);
      variables.push(JSON.stringify({ account: `a${i}` }));
      sealed.push(box.seal(`seeded-${i}`, `${id}:access_token`));
      issued.push(new Date(issuedAt));
      expires.push(new Date(issuedAt + LIFETIME_S * 1000));
      next.push(new Date(issuedAt + 0.8 * LIFETIME_S * 1000));
    }
    await database.query(
      `INSERT INTO broker.outbound_token (id, name, provider_id, variables, state, access_token_sealed, last_refreshed_at, expires_at, next_refresh_at)
       SELECT u.id, u.name, $1, u.vars::jsonb, 'valid', u.sealed, u.issued, u.expires, u.next
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[]) AS u(id, name, vars, sealed, issued, expires, next)`,
      [providerId, ids, names, variables, sealed, issued, expires, next],
    );
  }
  console.log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  const started = Date.now();
  let worstExpired = 0;
  let samples = 0;
  while (Date.now() - started < DURATION_S * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const [{ expired }] = await database.query<{ expired: string }>(`SELECT count(*) AS expired FROM broker.outbound_token WHERE expires_at < now()`);
    worstExpired = Math.max(worstExpired, Number(expired));
    samples++;
    if (samples % 30 === 0)
      console.log(`  t=${samples}s expired now: ${expired}; RSS a ${(rss.a.at(-1)! / 2 ** 20).toFixed(0)} MiB, b ${(rss.b.at(-1)! / 2 ** 20).toFixed(0)} MiB`);
  }
  const stats = await new Promise<{ requests: number; paths: number; gapsBelow: number; minGapMs: number }>((resolve) => {
    fake.child.once('message', (m) => resolve(m as never));
    fake.child.send({ stats: { minGapBelowMs: (LIFETIME_S * 1000) / 2 } });
  });
  const [{ failed }] = await database.query<{ failed: string }>(
    `SELECT count(*) AS failed FROM broker.outbound_token WHERE state <> 'valid' OR consecutive_failures > 0`,
  );
  const mib = (values: number[]) =>
    `${(Math.min(...values) / 2 ** 20).toFixed(0)}-${(Math.max(...values) / 2 ** 20).toFixed(0)} MiB (first ${(values[0] / 2 ** 20).toFixed(0)}, last ${(values.at(-1)! / 2 ** 20).toFixed(0)})`;
  console.log(`refreshes: ${stats.requests} for ${stats.paths} tokens in ${DURATION_S} s (${Math.round(stats.requests / DURATION_S)}/s across both replicas)`);
  console.log(`expired tokens at any 1-s sample while the provider was up: max ${worstExpired} (over ${samples} samples)`);
  console.log(
    `tokens refreshed twice within half a lifetime (a double refresh for one expiry): ${stats.gapsBelow}; shortest gap ${(stats.minGapMs / 1000).toFixed(1)} s`,
  );
  console.log(`tokens not valid or with failures at the end: ${failed}`);
  console.log(`RSS replica a: ${mib(rss.a)}; replica b: ${mib(rss.b)}`);
} finally {
  for (const child of replicas) child.disconnect();
  await new Promise((r) => setTimeout(r, 2000));
  await bus.close();
  fake.stop();
  await deleteEventStream(config);
  await database.drop();
}

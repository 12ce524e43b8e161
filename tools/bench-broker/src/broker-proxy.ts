// Proxy overhead: the same GET against the fake provider's API directly (token applied by the caller) and through
// the gateway's /proxy/:name/* (token looked up over NATS from the broker, applied, answer streamed back).
// Usage: npm run bench:broker-proxy   (BENCH_REQUESTS=3000 to change)
import 'reflect-metadata';
import { createLogger } from '@tessera/observability';
import { startPlatform } from '@tessera/platform';
import { createTestDatabase, deleteEventStream, freeTcpPort as freePort, testConfig } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { describeMachine, env, percentile, startFakeProviderProcess } from './machine.js';

const REQUESTS = env('BENCH_REQUESTS', 3000);

async function timed(url: string, headers: Record<string, string>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = process.hrtime.bigint();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

const database = await createTestDatabase();
const port = await freePort();
const ADMIN_PASSWORD = 'bench-admin-password-0123';
const config = testConfig(database, {
  PORT: String(port),
  TESSERA_ISSUER: `http://127.0.0.1:${port}`,
  TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
});
const fake = await startFakeProviderProcess();
const platform = await startPlatform(config, { logger: createLogger({ level: 'warn' }), host: '127.0.0.1' });
const gateway = `http://127.0.0.1:${port}`;
try {
  console.log(await describeMachine(database.url));
  // Where the gateway has admin login, the benchmark authenticates like any client; where it has not, no header.
  const login = await fetch(`${gateway}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const auth: Record<string, string> =
    login.status === 200 ? { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` } : {};
  const post = async (path: string, body: object) =>
    (
      await fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) })
    ).json() as Promise<{ id: string; access_token: string }>;
  const provider = await post('/admin/providers', {
    name: 'bench',
    grantType: 'client_credentials',
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${fake.url}/token`,
  });
  await post('/admin/tokens', { name: 'bench', providerId: provider.id, baseUrl: `${fake.url}/api` });
  const token = (await (await fetch(`${gateway}/tokens/bench`, { headers: auth })).json()) as { access_token: string };
  const direct = { authorization: `Bearer ${token.access_token}` };
  await timed(`${fake.url}/api/items/1`, direct); // warm-up: JIT, keep-alive connections
  await timed(`${gateway}/proxy/bench/items/1`, auth);
  const directSamples = await timed(`${fake.url}/api/items/1`, direct);
  const proxySamples = await timed(`${gateway}/proxy/bench/items/1`, auth);
  const row = (name: string, s: number[]) =>
    `${name.padEnd(8)} p50 ${percentile(s, 50).toFixed(2)} ms  p95 ${percentile(s, 95).toFixed(2)} ms  p99 ${percentile(s, 99).toFixed(2)} ms`;
  console.log(`${REQUESTS} sequential GETs each, after as many warm-up requests`);
  console.log(row('direct', directSamples));
  console.log(row('proxy', proxySamples));
  console.log(`added by the proxy at p50: ${(percentile(proxySamples, 50) - percentile(directSamples, 50)).toFixed(2)} ms`);
} finally {
  await platform.stop();
  fake.stop();
  await deleteEventStream(config);
  await database.drop();
}

import { loadConfig, type TesseraConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { deleteEventStream, eventually, startOwnPostgres, TEST_NATS_URL, uniqueName, type OwnPostgres } from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { freePort } from '../support/processes.js';
import { ADMIN_PASSWORD, adminFetch, login } from '../support/sign-in.js';
import { basic } from '../support/test-platform.js';

interface LogLine {
  level: number;
  msg: string;
  service?: string;
  err?: unknown;
  stack?: string;
}

/** The platform on a PostgreSQL of its own, which the test stops and starts again (never the shared one). */
describe('a PostgreSQL restart', () => {
  let postgres: OwnPostgres;
  let config: TesseraConfig;
  let platform: RunningPlatform;
  let url: string;
  const lines: LogLine[] = [];
  let client: { applicationId: string; appSecret: string };

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    const port = await freePort();
    config = loadConfig({
      DATABASE_URL: await postgres.createDatabase('tessera'),
      NATS_URL: TEST_NATS_URL,
      TESSERA_SUBJECT_PREFIX: uniqueName('pgout'),
      PORT: String(port),
      TESSERA_ISSUER: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
      TESSERA_BUS_TIMEOUT_MS: '2000',
      TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
    platform = await startPlatform(config, { logger, host: '127.0.0.1' });
    url = platform.url!;
    const created = await adminFetch(`${url}/admin/integrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'outage-client', permissions: ['*:orgs=read'] }),
    });
    expect(created.status).toBe(201);
    client = (await created.json()) as typeof client;
  });

  afterAll(async () => {
    await platform?.stop();
    await deleteEventStream(config).catch(() => undefined);
    await postgres?.destroy();
  });

  const token = () =>
    fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
      body: 'grant_type=client_credentials',
    });
  const introspect = () =>
    fetch(`${url}/oauth/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, client.appSecret) },
      body: 'token=anything',
    });

  it('answers 503 with Retry-After everywhere (temporarily_unavailable at the OAuth endpoints), logs each state change once, and recovers by itself', async () => {
    expect((await token()).status).toBe(200);
    const before = lines.length;

    await postgres.stop('fast'); // every session is terminated (57P01), then connections are refused
    for (let round = 0; round < 5; round++) {
      for (const response of [await token(), await introspect()]) {
        expect(response.status, await response.clone().text()).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
      }
      for (const path of ['/admin/integrations', '/admin/providers', '/admin/tokens', '/admin/instances']) {
        const response = await adminFetch(`${url}${path}`);
        expect(response.status, `${path}: ${await response.clone().text()}`).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.json()).toMatchObject({ statusCode: 503, error: 'unavailable' });
      }
      expect((await login(url, 'admin', ADMIN_PASSWORD)).status).toBe(503);
    }
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);

    await postgres.start();
    const restarted = Date.now();
    await eventually(async () => (await token()).status === 200, 5_000, 100);
    await eventually(async () => (await adminFetch(`${url}/admin/integrations`)).status === 200, 5_000, 100);
    await eventually(async () => (await fetch(`${url}/health/ready`)).status === 200, 5_000, 100);
    expect(Date.now() - restarted).toBeLessThan(5_000);

    // One line when a service loses its database and one when it has it back; nothing else above info, no stacks.
    const during = lines.slice(before);
    const noisy = during.filter((line) => line.level >= 40 && line.msg !== 'database unavailable; answering 503 until it is back');
    expect(noisy.map((line) => line.msg)).toEqual([]);
    expect(during.filter((line) => line.stack || line.err)).toEqual([]);
    const down = during
      .filter((line) => line.msg === 'database unavailable; answering 503 until it is back')
      .map((line) => line.service)
      .sort();
    expect(down).toEqual(['auth-server', 'integrations-registry', 'outbound-token-broker']);
    const back = () =>
      lines
        .slice(before)
        .filter((line) => line.msg === 'database available again')
        .map((line) => line.service)
        .sort();
    await eventually(async () => back().length >= 3, 3_000);
    expect(back()).toEqual(['auth-server', 'integrations-registry', 'outbound-token-broker']);
  });
});

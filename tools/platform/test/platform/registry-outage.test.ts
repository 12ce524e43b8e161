import type { TesseraConfig } from '@tessera/config';
import { Subjects } from '@tessera/contracts';
import { BusUnavailableError, NatsBus } from '@tessera/messaging';
import { createTestDatabase, deleteEventStream, eventually, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { buildDist, killIfRunning, runNode, serviceEnvironment, type TesseraProcess } from '../support/processes.js';
import { adminFetch, ADMIN_PASSWORD as TESSERA_ADMIN_PASSWORD } from '../support/sign-in.js';

describe('the gateway while integrations-registry is down (registry as its own process, the rest in-process)', () => {
  let db: TestDatabase;
  let config: TesseraConfig;
  let platform: RunningPlatform;
  let registry: TesseraProcess | undefined;

  const startRegistry = () => runNode('apps/integrations-registry/dist/main.js', serviceEnvironment(config));

  const timed = async (path: string, init?: RequestInit) => {
    const started = Date.now();
    const response = await adminFetch(`${platform.url}${path}`, init);
    return { response, ms: Date.now() - started, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    buildDist();
    db = await createTestDatabase();
    config = testConfig(db, { TESSERA_ADMIN_PASSWORD }); // TESSERA_BUS_TIMEOUT_MS=2000
    registry = startRegistry();
    platform = await startPlatform(config, { logger: testLogger(), services: ['auth-server', 'outbound-token-broker', 'gateway'] });
    await eventually(async () => (await fetch(`${platform.url}/health/ready`)).status === 200, 20_000, 200).catch((error) => {
      throw new Error(`${error}\nregistry output:\n${registry?.output()}`);
    });
  });

  afterAll(async () => {
    await killIfRunning([registry]);
    await platform?.stop();
    await deleteEventStream(config);
    await db?.drop();
  });

  it('answers 503 within the bus timeout while the registry hangs, and recovers when it resumes', async () => {
    const created = await timed('/admin/instances', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'hooli', baseUrl: 'https://hooli.example.com' }),
    });
    expect(created.response.status).toBe(201);

    registry!.child.kill('SIGSTOP'); // still subscribed as far as NATS knows, but never answers
    try {
      const hung = await timed('/admin/instances');
      expect(hung.response.status).toBe(503);
      expect(hung.ms).toBeGreaterThanOrEqual(config.busTimeoutMs - 100);
      expect(hung.ms).toBeLessThan(config.busTimeoutMs + 1500);
      expect(hung.response.headers.get('retry-after')).toBe('1');
      expect(hung.body).toMatchObject({ statusCode: 503, error: 'unavailable' });
    } finally {
      registry!.child.kill('SIGCONT');
    }
    expect((await timed('/admin/instances')).response.status).toBe(200);
  });

  it('answers 503 at once after kill -9, names the registry in /health/ready, and recovers by itself on restart', async () => {
    registry!.child.kill('SIGKILL');
    await registry!.exited;
    // Wait for the NATS server itself to drop the dead connection's interest (it notices the closed socket), so what
    // follows measures the gateway, not how fast a loaded server reaps a client.
    await eventually(async () => {
      const probe = new NatsBus({ servers: config.natsUrl!, subjectPrefix: config.subjectPrefix, name: 'probe', logger: testLogger() });
      await probe.connect();
      try {
        await probe.request(Subjects.registry.ping, {}, { timeoutMs: 200 });
        return false;
      } catch (error) {
        return error instanceof BusUnavailableError && /Nothing is serving/.test(error.message);
      } finally {
        await probe.close();
      }
    }, 10_000);

    for (const request of [
      timed('/admin/instances'),
      timed('/admin/instances/7d0c5a4e-1b8e-4a53-9d3c-2f1e0b9a8c7d'),
      timed('/admin/instances', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'pied-piper', baseUrl: 'https://pp.example.com' }),
      }),
    ]) {
      const { response, ms, body } = await request;
      expect(response.status).toBe(503);
      expect(ms).toBeLessThan(config.busTimeoutMs); // nobody serves the subject: NATS says so at once, no waiting out the timeout
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(body).toEqual({ statusCode: 503, error: 'unavailable', message: expect.any(String) });
    }

    const ready = await timed('/health/ready');
    expect(ready.response.status).toBe(503);
    expect(ready.ms).toBeLessThan(config.busTimeoutMs + 1500);
    expect(ready.body.error).toEqual({ 'integrations-registry': expect.objectContaining({ status: 'down' }) });
    expect(Object.keys(ready.body.info as object).sort()).toEqual(['auth-server', 'bus', 'feeds', 'outbound-token-broker']);

    registry = startRegistry();
    await eventually(async () => (await fetch(`${platform.url}/health/ready`)).status === 200, 20_000, 200);
    const list = await timed('/admin/instances');
    expect(list.response.status).toBe(200);
    expect((list.body.items as { name: string }[]).map((i) => i.name)).toEqual(['hooli']);
  });
});

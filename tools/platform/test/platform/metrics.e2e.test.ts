import { loadConfig } from '@tessera/config';
import { freeTcpPort, scrapeMetrics, testLogger } from '@tessera/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../src/platform.js';
import { expectStandingMetrics, runMetricsScenario } from '../support/metrics-scenario.js';
import { adminToken, ADMIN_PASSWORD } from '../support/sign-in.js';
import { basic, startTestPlatform, type TestPlatform } from '../support/test-platform.js';
import { repoRoot } from '../support/processes.js';

/** Every metric the shipped dashboard and alert rules query (histograms by their base name). */
function metricsOperatorsQuery(): string[] {
  const files = ['deploy/observability/grafana/dashboards/tessera.json', 'deploy/observability/tessera-alerts.yml'].map((file) =>
    readFileSync(join(repoRoot, file), 'utf8'),
  );
  return [
    ...new Set(
      files.flatMap((text) => [...text.matchAll(/\b(?:tessera|process|nodejs)_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''))),
    ),
  ];
}

const METRICS_TOKEN = 'scrape-token-0123456789';

describe('metrics, distributed mode (real PostgreSQL and NATS)', () => {
  let t: TestPlatform;
  let admin: string;
  beforeAll(async () => {
    t = await startTestPlatform({ env: { METRICS_PORT: '0', TESSERA_METRICS_TOKEN: METRICS_TOKEN } });
    admin = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('moves after a token request, a refresh, a revocation and an outbound refresh, on one endpoint for the process', async () => {
    const { last } = await runMetricsScenario({ url: t.url, metricsUrl: t.platform.metricsUrl!, metricsToken: METRICS_TOKEN, adminToken: admin });
    expectStandingMetrics(last, ['auth', 'registry', 'broker']);
    // Each service's durable consumers, as JetStream counts them.
    const consumers = last.series('tessera_consumer_pending_events').map((sample) => sample.labels!.consumer);
    expect(consumers.some((name) => name.startsWith('auth-server__'))).toBe(true);
    expect(consumers.some((name) => name.startsWith('outbound-token-broker__'))).toBe(true);
    expect(last.series('tessera_consumer_ack_pending_events')).toHaveLength(consumers.length);
    expect(last.series('tessera_feed_lag_events').length).toBeGreaterThanOrEqual(1);
    // The dashboard and the alerts cannot drift from what is served.
    const queried = metricsOperatorsQuery();
    expect(queried.length).toBeGreaterThan(20);
    for (const name of queried) expect(last.names(), name).toContain(name);
  });

  it("serves nothing on the gateway's public port, and nothing on its own port without the bearer token", async () => {
    expect(new URL(t.platform.metricsUrl!).hostname).toBe('127.0.0.1');
    expect(new URL(t.platform.metricsUrl!).port).not.toBe(new URL(t.url).port);
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    expect((await fetch(t.platform.metricsUrl!)).status).toBe(401);
    expect((await fetch(t.platform.metricsUrl!, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    expect((await fetch(t.platform.metricsUrl!.replace('/metrics', '/'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  });

  it('keeps labels bounded: no client, token or user id, and no series per made-up grant type or URL', async () => {
    const created = await fetch(`${t.url}/admin/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bounded', permissions: ['*:orgs=read'] }),
    });
    const client = (await created.json()) as { applicationId: string; appSecret: string };
    const tokenRequest = (grantType: string, secret = client.appSecret) =>
      fetch(`${t.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: grantType }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.applicationId, secret) },
      });
    const issued = (await (await tokenRequest('client_credentials')).json()) as { access_token: string; refresh_token: string };
    const wrongThings = async (i: number) => {
      expect((await tokenRequest(`urn:made-up:${i}`)).status).toBe(400);
      await tokenRequest('client_credentials', `wrong-secret-${i}`);
      await fetch(`${t.url}/admin/integrations/${crypto.randomUUID()}`, { headers: { authorization: `Bearer ${admin}` } });
      await fetch(`${t.url}/no-such-page-${i}`);
    };
    // The first of each kind may open its series (`other` × `unsupported_grant_type` …); more of them may not.
    await wrongThings(0);
    const before = await scrapeMetrics(t.platform.metricsUrl!, METRICS_TOKEN);
    for (let i = 1; i <= 5; i++) await wrongThings(i);
    const after = await scrapeMetrics(t.platform.metricsUrl!, METRICS_TOKEN);
    expect(
      after.value('tessera_oauth_token_requests_total', { grant_type: 'other', outcome: 'unsupported_grant_type' }) -
        before.value('tessera_oauth_token_requests_total', { grant_type: 'other', outcome: 'unsupported_grant_type' }),
    ).toBe(5);
    // Five made-up grant types, wrong secrets, ids and URLs later: not one series more for the token endpoint or the routes.
    for (const name of ['tessera_oauth_token_requests_total', 'tessera_oauth_token_request_duration_seconds', 'tessera_tokens_issued_total']) {
      expect(after.series(name).length, name).toBe(before.series(name).length);
    }
    const routes = new Set(after.series('tessera_http_responses_total').map((sample) => sample.labels!.route));
    expect(routes).toContain('/admin/integrations/:id');
    expect(routes).toContain('unmatched');
    expect([...routes].some((route) => /no-such-page|[0-9a-f]{8}-[0-9a-f]{4}/.test(route))).toBe(false);
    const values = after.labelValues();
    for (const secret of [client.applicationId, client.appSecret, issued.access_token, issued.refresh_token, admin]) {
      expect(
        values.some((value) => value.includes(secret)),
        'a label holds an id or a token',
      ).toBe(false);
    }
    expect(after.names().some((name) => name.includes('by_client'))).toBe(false);
  });
});

describe('metrics, embedded mode (one process, PGlite, in-process bus)', () => {
  let platform: RunningPlatform;
  let dataDir: string;
  let url: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-metrics-'));
    const port = await freeTcpPort();
    const config = loadConfig({
      PORT: String(port),
      TESSERA_ISSUER: `http://127.0.0.1:${port}`,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'silent',
      METRICS_PORT: '0',
      TESSERA_METRICS_CLIENT_LABELS: 'true',
    });
    platform = await startPlatform(config, { logger: testLogger(), host: '127.0.0.1' });
    url = platform.url!;
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('moves after a token request, a refresh and a revocation, and labels by client only when asked to', async () => {
    const { client, last } = await runMetricsScenario({ url, metricsUrl: platform.metricsUrl!, adminToken: await adminToken(url) });
    expectStandingMetrics(last, ['embedded']);
    // TESSERA_METRICS_CLIENT_LABELS=true: the integration's own series, as Keycloak's per-client metrics.
    expect(
      last.value('tessera_oauth_token_requests_by_client_total', { client_id: client.applicationId, grant_type: 'client_credentials', outcome: 'success' }),
    ).toBe(1);
    expect(last.value('tessera_tokens_issued_by_client_total', { client_id: client.applicationId, grant_type: 'refresh_token' })).toBe(1);
    // The refused request's client id was never authenticated: not a label.
    expect(last.series('tessera_oauth_token_requests_by_client_total', { outcome: 'invalid_client' })).toHaveLength(0);
  });
});

describe('metrics off (METRICS_PORT unset)', () => {
  it('listens nowhere', async () => {
    const t = await startTestPlatform();
    try {
      expect(t.platform.metricsUrl).toBeUndefined();
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    } finally {
      await t.stop();
    }
  });
});

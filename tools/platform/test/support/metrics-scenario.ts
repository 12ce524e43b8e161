import { eventually, FakeOAuthProvider, scrapeMetrics, type MetricsScrape } from '@tessera/testing';
import { expect } from 'vitest';
import { basic } from './http-helpers.js';

export interface MetricsTarget {
  /** The gateway. */
  url: string;
  metricsUrl: string;
  metricsToken?: string;
  adminToken: string;
}

interface Client {
  applicationId: string;
  appSecret: string;
}
interface Tokens {
  access_token: string;
  refresh_token: string;
}

const oauth = (t: MetricsTarget, path: string, params: Record<string, string>, client?: Client) =>
  fetch(`${t.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client ? { authorization: basic(client.applicationId, client.appSecret) } : {}) },
  });

async function admin<T>(t: MetricsTarget, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/**
 * What an operator does, with a scrape before and after each step: a token request (and a refused one), a refresh,
 * a revocation the gateway's verifier then enforces, and an outbound token the broker fetches (and fails to
 * refresh). Every assertion is on what the endpoint serves over HTTP, parsed as Prometheus text.
 */
export async function runMetricsScenario(t: MetricsTarget): Promise<{ client: Client; tokens: Tokens; last: MetricsScrape }> {
  const scrape = () => scrapeMetrics(t.metricsUrl, t.metricsToken);
  const client = await admin<Client>(t, 'POST', '/admin/integrations', { name: `metrics-${Date.now()}`, permissions: ['*:orgs=read'] });
  const before = await scrape();

  // A token request, and one with a wrong secret.
  const issued = await oauth(t, '/oauth/token', { grant_type: 'client_credentials' }, client);
  expect(issued.status).toBe(200);
  const tokens = (await issued.json()) as Tokens;
  expect((await oauth(t, '/oauth/token', { grant_type: 'client_credentials' }, { ...client, appSecret: 'wrong' })).status).toBe(401);
  const afterIssue = await scrape();
  const cc = { grant_type: 'client_credentials' };
  expect(
    afterIssue.value('tessera_oauth_token_requests_total', { ...cc, outcome: 'success' }) -
      before.value('tessera_oauth_token_requests_total', { ...cc, outcome: 'success' }),
  ).toBe(1);
  expect(
    afterIssue.value('tessera_oauth_token_requests_total', { ...cc, outcome: 'invalid_client' }) -
      before.value('tessera_oauth_token_requests_total', { ...cc, outcome: 'invalid_client' }),
  ).toBe(1);
  expect(afterIssue.count('tessera_oauth_token_request_duration_seconds', cc) - before.count('tessera_oauth_token_request_duration_seconds', cc)).toBe(2);
  expect(afterIssue.value('tessera_tokens_issued_total', cc) - before.value('tessera_tokens_issued_total', cc)).toBe(1);
  expect(afterIssue.count('tessera_bus_request_duration_seconds', { subject: 'tessera.auth.token.issue' })).toBeGreaterThan(
    before.count('tessera_bus_request_duration_seconds', { subject: 'tessera.auth.token.issue' }),
  );
  expect(afterIssue.value('tessera_http_responses_total', { route: '/oauth/token', method: 'POST', status: '2xx' })).toBeGreaterThan(0);

  // A refresh (rotation).
  const refreshed = await oauth(t, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, client);
  expect(refreshed.status).toBe(200);
  const rotated = (await refreshed.json()) as Tokens;
  const afterRefresh = await scrape();
  const rt = { grant_type: 'refresh_token' };
  expect(
    afterRefresh.value('tessera_oauth_token_requests_total', { ...rt, outcome: 'success' }) -
      afterIssue.value('tessera_oauth_token_requests_total', { ...rt, outcome: 'success' }),
  ).toBe(1);
  expect(afterRefresh.value('tessera_tokens_issued_total', rt) - afterIssue.value('tessera_tokens_issued_total', rt)).toBe(1);

  // A revocation (RFC 7009, of the access token): counted by auth-server, then applied by the gateway's verifier.
  expect((await fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${rotated.access_token}` } })).status).toBe(200);
  expect((await oauth(t, '/oauth/revoke', { token: rotated.access_token }, client)).status).toBe(200);
  await eventually(async () => (await fetch(`${t.url}/api/whoami`, { headers: { authorization: `Bearer ${rotated.access_token}` } })).status === 401);
  const afterRevoke = await eventually(async () => {
    const now = await scrape();
    return now.count('tessera_verifier_revocation_lag_seconds') > afterRefresh.count('tessera_verifier_revocation_lag_seconds') ? now : undefined;
  });
  expect(
    afterRevoke.value('tessera_token_revocations_total', { reason: 'api', scope: 'token' }) -
      afterRefresh.value('tessera_token_revocations_total', { reason: 'api', scope: 'token' }),
  ).toBe(1);
  expect(afterRevoke.value('tessera_verifier_deny_list_entries')).toBeGreaterThanOrEqual(1);
  expect(
    afterRevoke.value('tessera_verifier_verifications_total', { result: 'revoked' }) -
      afterRefresh.value('tessera_verifier_verifications_total', { result: 'revoked' }),
  ).toBeGreaterThanOrEqual(1);
  expect(afterRevoke.value('tessera_verifier_verifications_total', { result: 'valid' })).toBeGreaterThan(
    before.value('tessera_verifier_verifications_total', { result: 'valid' }),
  );

  // An outbound token the broker fetches, then fails to refresh (the provider refuses the grant for good).
  const fake = await new FakeOAuthProvider().start();
  try {
    const provider = await admin<{ id: string; name: string }>(t, 'POST', '/admin/providers', {
      name: `metrics-provider-${Date.now()}`,
      grantType: 'client_credentials',
      clientId: 'broker',
      clientSecret: 'fake-secret',
      tokenUrl: `${fake.url}/token`,
    });
    const token = await admin<{ id: string; name: string }>(t, 'POST', '/admin/tokens', {
      name: `metrics-token-${Date.now()}`,
      providerId: provider.id,
      baseUrl: `${fake.url}/api`,
    });
    await admin(t, 'GET', `/tokens/${token.name}`);
    fake.behaviour.failNext = { count: 1, status: 400, body: '{"error":"invalid_grant","error_description":"revoked at the provider"}' };
    await fetch(`${t.url}/admin/tokens/${token.id}/refresh`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}` } });
    const afterBroker = await scrape();
    const byProvider = { provider: provider.name };
    expect(afterBroker.value('tessera_broker_refresh_attempts_total', { ...byProvider, outcome: 'refreshed', failure_class: 'none' })).toBe(1);
    expect(afterBroker.value('tessera_broker_refresh_attempts_total', { ...byProvider, outcome: 'permanent_failure', failure_class: 'invalid_grant' })).toBe(1);
    expect(afterBroker.count('tessera_broker_refresh_duration_seconds', byProvider)).toBe(2);
    expect(afterBroker.value('tessera_broker_tokens', { state: 'refresh_failed' })).toBeGreaterThanOrEqual(1);
    return { client, tokens, last: afterBroker };
  } finally {
    await fake.stop();
  }
}

/** The families every process serves whatever it has done: default Node.js and process metrics and the sampled gauges. */
export function expectStandingMetrics(scrape: MetricsScrape, pools: string[]): void {
  for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
    expect(scrape.names(), name).toContain(name);
  }
  for (const service of ['auth-server', 'integrations-registry', 'outbound-token-broker']) {
    expect(scrape.series('tessera_outbox_pending_events', { service }), service).toHaveLength(1);
    expect(scrape.series('tessera_outbox_oldest_pending_age_seconds', { service }), service).toHaveLength(1);
  }
  for (const pool of pools) {
    expect(scrape.series('tessera_db_pool_connections_in_use', { pool }), pool).toHaveLength(1);
    expect(scrape.series('tessera_db_pool_waiting_clients', { pool }), pool).toHaveLength(1);
  }
  expect(scrape.family('tessera_oauth_token_requests_total')?.type).toBe('COUNTER');
  expect(scrape.family('tessera_oauth_token_request_duration_seconds')?.type).toBe('HISTOGRAM');
  expect(scrape.family('tessera_outbox_pending_events')?.type).toBe('GAUGE');
}

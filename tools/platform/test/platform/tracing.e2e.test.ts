import {
  createTestDatabase,
  deleteEventStream,
  eventually,
  FakeOAuthProvider,
  OtlpReceiver,
  SPAN_KIND,
  testConfig,
  uniqueName,
  type ReceivedSpan,
  type TestDatabase,
} from '@tessera/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDist,
  CLI,
  distributedEnvironment,
  freePort,
  killIfRunning,
  runNode,
  stopWithCtrlC,
  waitUntilReady,
  type TesseraProcess,
} from '../support/processes.js';
import { ADMIN_PASSWORD, adminFetch } from '../support/sign-in.js';
import { basic, startTestPlatform } from '../support/test-platform.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** The platform's JSON log lines (the launcher's children write to its stdout). */
function logLines(cli: TesseraProcess): Record<string, unknown>[] {
  return cli
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function createIntegration(url: string, headers: Record<string, string> = {}): Promise<string> {
  const created = await adminFetch(`${url}/admin/integrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name: uniqueName('traced'), permissions: ['*:orgs=read'] }),
  });
  const { applicationId, appSecret } = (await created.json()) as { applicationId: string; appSecret: string };
  return basic(applicationId, appSecret);
}

function clientCredentials(url: string, authorization: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization, ...headers },
    body: 'grant_type=client_credentials',
  });
}

/** The provider test (POST /admin/providers/:id/test): the broker calls the fake provider's token endpoint. */
async function testProvider(url: string, fake: FakeOAuthProvider, headers: Record<string, string> = {}): Promise<void> {
  const created = await adminFetch(`${url}/admin/providers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: uniqueName('provider'),
      grantType: 'client_credentials',
      tokenUrl: `${fake.url}/token`,
      clientId: 'c',
      clientSecret: 'provider-secret-0123',
    }),
  });
  const { id } = (await created.json()) as { id: string };
  const tested = await adminFetch(`${url}/admin/providers/${id}/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  expect(tested.status).toBe(200);
  expect(await tested.json()).toMatchObject({ ok: true });
}

/** A server span of one of our services (the attribute tells them apart in the one embedded process too). */
const servedBy = (service: string) => (span: ReceivedSpan) => span.kind === SPAN_KIND.server && span.attributes['tessera.service'] === service;

/** The spans below `parent` in the same service: down to, not into, the server spans of the services it calls. */
function descendants(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  const children = spans.filter((s) => s.parentSpanId === parent.spanId && s.kind !== SPAN_KIND.server);
  return [...children, ...children.flatMap((child) => descendants(spans, child))];
}

/** The child of `parent` in `spans` that matches. */
function childOf(spans: ReceivedSpan[], parent: ReceivedSpan, match: Partial<ReceivedSpan>): ReceivedSpan {
  const found = spans.find((s) => s.parentSpanId === parent.spanId && Object.entries(match).every(([k, v]) => s[k as keyof ReceivedSpan] === v));
  if (!found)
    throw new Error(
      `no child of ${parent.name} (${parent.serviceName}) matching ${JSON.stringify(match)}; the trace has ${spans.map((s) => `${s.serviceName}:${s.name}<-${s.parentSpanId.slice(0, 4)}`).join(', ')}`,
    );
  return found;
}

/**
 * One client_credentials request, with and without an incoming traceparent, then a provider call: checks the
 * receiver got gateway → bus → auth-server (and → broker → provider) as one trace each, linked parent to child.
 */
async function checkTraces(
  url: string,
  cli: TesseraProcess,
  receiver: OtlpReceiver,
  fake: FakeOAuthProvider,
  names: { gateway: string; authServer: string; broker: string },
) {
  // An event through the outbox: its row keeps the admin request's trace context, so the relay's publication and
  // every service's processing of it join that trace, whenever and by whom it is relayed.
  const adminChange = hex(16);
  const authorization = await createIntegration(url, { traceparent: `00-${adminChange}-${hex(8)}-01` });
  const consumed = await eventually(async () => {
    const trace = receiver.trace(adminChange);
    return trace.find((s) => s.kind === SPAN_KIND.consumer && trace.some((p) => p.spanId === s.parentSpanId && p.kind === SPAN_KIND.producer));
  }, 10_000);
  expect(consumed.name).toMatch(/^process tessera\.events\./);
  const incoming = { traceId: hex(16), spanId: hex(8) };
  const withParent = await clientCredentials(url, authorization, { traceparent: `00-${incoming.traceId}-${incoming.spanId}-01` });
  expect(withParent.status).toBe(200);

  const spans = await eventually(async () => {
    const found = receiver.trace(incoming.traceId);
    return found.some(servedBy('auth-server')) && found.some(servedBy('gateway')) && found;
  }, 10_000);
  const http = spans.find(servedBy('gateway'))!;
  expect(http).toMatchObject({
    name: 'POST /oauth/token',
    parentSpanId: incoming.spanId,
    serviceName: names.gateway,
    attributes: expect.objectContaining({ 'http.response.status_code': 200, 'http.route': '/oauth/token' }),
  });
  const issue = spans.find(servedBy('auth-server'))!;
  expect(issue.serviceName).toBe(names.authServer);
  const busRequest = childOf(spans, http, { spanId: issue.parentSpanId });
  expect(busRequest).toMatchObject({ kind: SPAN_KIND.client, serviceName: names.gateway, name: issue.name });
  // Inside auth-server: its database queries and the token.issued notification belong to the handler's span.
  const queries = descendants(spans, issue).filter((s) => s.attributes['db.system.name'] === 'postgresql');
  expect(queries.length).toBeGreaterThan(0);
  for (const query of queries)
    expect(query).toMatchObject({
      kind: SPAN_KIND.client,
      serviceName: names.authServer,
      attributes: expect.objectContaining({ 'db.query.text': expect.any(String) }),
    });
  expect(descendants(spans, issue).some((s) => s.kind === SPAN_KIND.producer && s.name === 'publish tessera.events.auth.token.issued')).toBe(true);

  // The gateway's access log line names the trace and the request's span.
  await eventually(async () => logLines(cli).some((l) => l.msg === 'request' && l.trace_id === incoming.traceId), 5_000);
  expect(logLines(cli).find((l) => l.msg === 'request' && l.trace_id === incoming.traceId)).toMatchObject({ span_id: http.spanId, url: '/oauth/token' });

  // No traceparent, or one that is not valid: the gateway starts the trace, and its request id leads from the log
  // line to it.
  for (const headers of [{}, { traceparent: `00-${'0'.repeat(32)}-${hex(8)}-01` }] as Record<string, string>[]) {
    const withoutParent = await clientCredentials(url, authorization, headers);
    expect(withoutParent.status).toBe(200);
    const requestId = withoutParent.headers.get('x-request-id');
    const line = await eventually(async () => logLines(cli).find((l) => l.msg === 'request' && l.requestId === requestId), 5_000);
    const traceId = String(line.trace_id);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect([incoming.traceId, '0'.repeat(32)]).not.toContain(traceId);
    const root = await eventually(async () => receiver.trace(traceId).find(servedBy('gateway')), 10_000);
    expect(root.parentSpanId).toBe('');
    await eventually(async () => receiver.trace(traceId).some(servedBy('auth-server')), 10_000);
  }

  // An outbound provider call carries traceparent: the broker's client span, in the admin request's trace.
  const adminTrace = hex(16);
  await testProvider(url, fake, { traceparent: `00-${adminTrace}-${hex(8)}-01` });
  const sent = fake.tokenRequests.at(-1)!.traceparent;
  expect(sent).toMatch(new RegExp(`^00-${adminTrace}-[0-9a-f]{16}-01$`));
  const outbound = await eventually(async () => receiver.trace(adminTrace).find((s) => s.spanId === sent!.split('-')[2]), 10_000);
  expect(outbound).toMatchObject({
    kind: SPAN_KIND.client,
    serviceName: names.broker,
    name: 'POST',
    attributes: expect.objectContaining({ 'http.response.status_code': 200, 'url.full': `${fake.url}/token` }),
  });
}

describe('traces (OpenTelemetry) across the bus', () => {
  const running: (TesseraProcess | undefined)[] = [];
  let receiver: OtlpReceiver;
  let fake: FakeOAuthProvider;
  const tracingEnv = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' });
  beforeAll(async () => {
    buildDist();
    [receiver, fake] = await Promise.all([new OtlpReceiver().start(), new FakeOAuthProvider().start()]);
  });
  afterAll(async () => {
    // Ctrl-C first, so the launcher stops its children; a SIGKILL only for one that does not stop.
    await Promise.all(
      running.filter((cli) => cli && cli.child.exitCode === null).map((cli) => Promise.race([stopWithCtrlC(cli!), new Promise((r) => setTimeout(r, 15_000))])),
    );
    await killIfRunning(running);
    await receiver?.stop();
    await fake?.stop();
  });

  describe('distributed: every service its own process', () => {
    let db: TestDatabase;
    const subjectPrefix = uniqueName('traces');
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await deleteEventStream(testConfig(db, { TESSERA_SUBJECT_PREFIX: subjectPrefix }));
      await db.drop();
    });

    it('one trace runs gateway → auth-server (and broker → provider), parent to child, and log lines carry its id', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const cli = runNode(
        CLI,
        distributedEnvironment(db, subjectPrefix, { PORT: String(port), LOG_LEVEL: 'info', TESSERA_EGRESS_ALLOW: '127.0.0.0/8', ...tracingEnv() }),
      );
      running.push(cli);
      await waitUntilReady(url, cli, 90_000);
      await checkTraces(url, cli, receiver, fake, { gateway: 'tessera-gateway', authServer: 'tessera-auth-server', broker: 'tessera-outbound-token-broker' });
      await stopWithCtrlC(cli);
    }, 180_000);
  });

  describe('embedded: one process, the in-process bus, PGlite', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-traces-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('the same trace, every span from the one process', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const cli = runNode(CLI, {
        PORT: String(port),
        TESSERA_DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...tracingEnv(),
      });
      running.push(cli);
      await waitUntilReady(url, cli, 90_000);
      await checkTraces(url, cli, receiver, fake, { gateway: 'tessera', authServer: 'tessera', broker: 'tessera' });
      await stopWithCtrlC(cli);
    }, 180_000);
  });

  it('with no OTLP endpoint set nothing is traced: no trace ids, and no traceparent on outbound calls', async () => {
    const exports = receiver.requests;
    const platform = await startTestPlatform({ env: { OTEL_SERVICE_NAME: 'tessera', OTEL_TRACES_SAMPLER: 'always_on' } });
    try {
      expect(platform.config.tracing).toBeUndefined();
      const authorization = await createIntegration(platform.url);
      expect((await clientCredentials(platform.url, authorization, { traceparent: `00-${hex(16)}-${hex(8)}-01` })).status).toBe(200);
      await testProvider(platform.url, fake, { traceparent: `00-${hex(16)}-${hex(8)}-01` });
      expect(fake.tokenRequests.at(-1)!.traceparent).toBeUndefined();
    } finally {
      await platform.stop();
    }
    expect(receiver.requests).toBe(exports);
  });
});

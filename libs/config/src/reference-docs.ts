import type { CONFIG_VARIABLES } from './config.js';

/** One row of the configuration reference: the variables it covers, the default, and what it means. */
export interface SettingDoc {
  names: readonly (typeof CONFIG_VARIABLES)[number][];
  default: string;
  meaning: string;
}

/**
 * What each variable means, for people: docs/configuration.md is generated from this, the variables' list and their
 * validation (`npm run docs:config`), and a test fails when a variable has no row or the committed file is stale.
 */
export const SETTING_DOCS: readonly SettingDoc[] = [
  {
    names: ['PORT'],
    default: '`3000`',
    meaning: 'Gateway HTTP port (0 = any free port).',
  },
  {
    names: ['DATABASE_URL'],
    default: '\u2014',
    meaning:
      '`postgres://` URL. Set together with `NATS_URL` for distributed mode; neither → embedded mode. The gateway opens no database: run on its own it needs only `NATS_URL`, and the launcher does not hand it `DATABASE_URL`.',
  },
  {
    names: ['NATS_URL'],
    default: '\u2014',
    meaning: '`nats://` URL(s), comma-separated. Needs JetStream (`nats-server -js`).',
  },
  {
    names: ['TESSERA_DATABASE_POOLER'],
    default: '`session`',
    meaning:
      '`transaction` when `DATABASE_URL` points at a pooler in transaction mode (PgBouncer `pool_mode = transaction`): the services then send no named prepared statements. Nothing else is needed: they keep no other session state (ADR 0039).',
  },
  {
    names: ['TESSERA_ISSUER'],
    default: '`http://localhost:$PORT`',
    meaning: 'The public URL of the platform, used as the OAuth issuer.',
  },
  {
    names: ['TESSERA_DATA_DIR'],
    default: '`./.tessera`',
    meaning: 'Embedded mode: where PGlite keeps its data (and the generated encryption key).',
  },
  {
    names: ['LOG_LEVEL'],
    default: '`info`',
    meaning: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  },
  {
    names: ['TESSERA_SUBJECT_PREFIX'],
    default: 'none',
    meaning: 'Prefix for every NATS subject and the JetStream stream name, so several platforms (or test runs) share one NATS. 1–32 of `A-Za-z0-9_-`.',
  },
  {
    names: ['TESSERA_BUS_TIMEOUT_MS'],
    default: '`5000`',
    meaning: "How long the gateway waits for a service's reply before answering 503 (100–60000).",
  },
  {
    names: ['TESSERA_BROKER_PROVIDER_TIMEOUT_MS'],
    default: '`10000`',
    meaning:
      "The longest the broker waits for a provider's token or revocation endpoint (100–300000); a provider's `timeoutSeconds` can only shorten it. A refresh claim lasts this plus 2 s ([ADR 0017](decisions/0017-refresh-leases.md)).",
  },
  {
    names: ['TESSERA_BROKER_REFRESH_CONCURRENCY'],
    default: '`32`',
    meaning: 'Scheduled refreshes in flight at once in one broker replica (1–1000).',
  },
  {
    names: ['TESSERA_BROKER_PROVIDER_CONCURRENCY'],
    default: '`8`',
    meaning: 'Scheduled refreshes in flight at once against one provider, across all broker replicas (1–1000): a slow provider holds at most this many slots.',
  },
  {
    names: ['TESSERA_ENCRYPTION_KEY'],
    default: 'a key file in `TESSERA_DATA_DIR`',
    meaning:
      "32 bytes, base64 or base64url (`openssl rand -base64 32`): the master key for secrets at rest. Unset, the key in `TESSERA_DATA_DIR/encryption.key` is used, generated there on the first start (embedded mode's, usually); the banner says which key is in use and where it came from. Set it in production: every process must hold the same key, and losing it loses every stored secret.",
  },
  {
    names: ['TESSERA_ADMIN_PASSWORD'],
    default: 'generated',
    meaning:
      "The bootstrap `admin` account's (the first owner's) password **on first start only** (at least 12 characters). Unset: one is generated and printed once. Only its argon2id hash is stored. Later starts ignore it and log so: change the password with `POST /admin/password` or `npm run reset-admin-password`.",
  },
  {
    names: ['TESSERA_TEST_WEAK_PASSWORD_HASHES'],
    default: '`false`',
    meaning:
      '**Test runs only.** `true` hashes admin passwords with argon2id at its minimum cost (1 MiB, one pass) instead of its defaults (64 MiB, three passes), so a test suite signs in in a millisecond rather than a few hundred. It protects nothing: refused with `NODE_ENV=production`, and the auth server logs a warning at every start while it is on. Hashes made under it stay weak after it is turned off.',
  },
  {
    names: ['NATS_CREDS'],
    default: '\u2014',
    meaning:
      "This service's NATS credential: a file holding its nkey seed (written by `npm run nats:config`, `<dir>/platform[-<prefix>]/<service>.nk`) or a NATS JWT `.creds` file.",
  },
  {
    names: ['TESSERA_NATS_CREDENTIALS'],
    default: '\u2014',
    meaning: 'For `npm start` in distributed mode: the `npm run nats:config` directory; each service process is given its own file as `NATS_CREDS`.',
  },
  {
    names: ['NATS_TLS_CA'],
    default: '\u2014',
    meaning: 'CA certificate (PEM) of the NATS server: the client then requires TLS.',
  },
  {
    names: ['NATS_TLS_CERT', 'NATS_TLS_KEY'],
    default: '\u2014',
    meaning: 'Client certificate and key (PEM) when the NATS server verifies clients (`nats:config --tls-client-ca`).',
  },
  {
    names: ['TESSERA_REQUIRE_SECURE_BUS'],
    default: '`false`',
    meaning: '`true`: distributed mode without a bus credential is a start-up error instead of a warning.',
  },
  {
    names: ['TESSERA_STARTUP_WAIT_SECONDS'],
    default: '`30`',
    meaning:
      'Distributed mode: how long `npm start` waits for PostgreSQL and NATS to answer before it stops with one line per dependency that is down (exit code 1). A missing database is created when the role may (else exit code 2 and the `createdb` command to run).',
  },
  {
    names: ['TESSERA_REPLICAS'],
    default: '`1` each',
    meaning:
      'Distributed mode: how many processes of each service `npm start` runs: one count for all (`2`) or `service=count` pairs (`gateway=3,auth-server=2`), 1–16 each. See [Replicas, faults and drills](operate.md#replicas).',
  },
  {
    names: ['TESSERA_EGRESS_ALLOW'],
    default: 'none',
    meaning:
      'Loopback and private destinations outbound calls (token endpoints, provider test, P2PI discovery, the proxy, Shared Signals push endpoints) may reach in distributed mode: host names, `host:port`, addresses, `[v6]:port`, CIDR ranges, comma or space separated. Embedded mode allows them all; link-local and cloud-metadata addresses are refused whatever this says ([ADR 0015](decisions/0015-egress-policy-and-url-change-rule.md)).',
  },
  {
    names: ['TESSERA_PRUNE_INTERVAL_SECONDS'],
    default: '`300`',
    meaning: 'How often each service deletes rows nothing needs any more (0 = never; at most 86400).',
  },
  {
    names: ['TESSERA_GRANT_RETENTION_HOURS'],
    default: '`24`',
    meaning:
      'Expired and revoked grants, codes, revoked-token rows and authorization requests are kept this long past the point where nothing can need them (a revoked grant: 24 h after revocation, the longest access-token lifetime). 0-8760.',
  },
  {
    names: ['TESSERA_INBOX_RETENTION_HOURS'],
    default: '`168`',
    meaning: "How long an applied event's id is kept to recognise a redelivery. 1-8760.",
  },
  {
    names: ['TESSERA_OUTBOX_RETENTION_HOURS'],
    default: '`192`',
    meaning:
      "How long a published event is kept in the outbox (pending ones are never pruned). A consumer that fell behind the event stream's retention catches up from here, so keep it longer than `TESSERA_EVENTS_MAX_AGE_HOURS` (ADR 0038). 0-8760.",
  },
  {
    names: ['TESSERA_AUDIT_RETENTION_DAYS'],
    default: '`365`',
    meaning: 'How long audit-log entries are kept before the pruner deletes them (1-36500).',
  },
  {
    names: ['TESSERA_ADMIN_SESSION_HOURS'],
    default: '`8`',
    meaning: 'The longest an admin session lasts, however much it is renewed (1-168).',
  },
  {
    names: ['TESSERA_ADMIN_IDLE_MINUTES'],
    default: '`15`',
    meaning: "An admin token's lifetime: a session unused this long ends (1-240).",
  },
  {
    names: ['TESSERA_EVENT_STREAMS_PER_SESSION'],
    default: '`4`',
    meaning: 'Live event streams (`/admin/events/stream`) one admin session or integration may hold open; more answer 429 (1-1000).',
  },
  {
    names: ['TESSERA_EVENT_STREAMS_PER_ADDRESS'],
    default: '`16`',
    meaning: 'The same per client address (1-1000).',
  },
  {
    names: ['TESSERA_WEBHOOK_RETRY_SCHEDULE'],
    default: '`5s,5m,30m,2h,5h,10h,10h`',
    meaning:
      'The waits between delivery attempts to a webhook endpoint after the first, immediate one: comma-separated durations (`ms`, `s`, `m`, `h`, `d`; up to 50, each 10ms–7d), each varied by ±20 % jitter. A `Retry-After` on a 429 or 503 answer replaces the next wait (up to a day). When they run out the message has failed; `POST /admin/webhooks/:id/recover` sends it again ([ADR 0048](decisions/0048-webhooks-from-the-broker.md)).',
  },
  {
    names: ['TESSERA_WEBHOOK_DISABLE_AFTER'],
    default: '`5d`',
    meaning:
      'A webhook endpoint whose every delivery has failed for this long (a duration, 1s–90d) is disabled, with a `webhook.disabled` event and an audit line.',
  },
  {
    names: ['TESSERA_WEBHOOK_RETENTION'],
    default: '`30d`',
    meaning:
      'How long the webhook delivery log keeps a message and its attempts (a duration, 1m–3650d): a delivered one from its delivery, a failed one from its event (until then `POST /admin/webhooks/:id/recover` can re-send it). Pending messages are never pruned. The broker prunes every `TESSERA_PRUNE_INTERVAL_SECONDS`.',
  },
  {
    names: ['TESSERA_SSF_MIN_VERIFICATION_INTERVAL_SECONDS'],
    default: '`30`',
    meaning:
      "The Shared Signals transmitter's `min_verification_interval`: a receiver's verification request (`POST /ssf/verify`) sooner than this after the stream's last one is answered 429 with `Retry-After` (SSF 1.0 §8.1.4.2). 0-86400.",
  },
  {
    names: ['TESSERA_EVENTS_MAX_AGE_HOURS'],
    default: '`168`',
    meaning:
      "How long the change stream (`TESSERA_EVENTS`: every event but `token.issued`) keeps an event. At least 24: the gateway replays a day of revocations at start. A durable consumer the stream's limits passed by catches up from the owner's outbox (ADR 0038). 24-87600.",
  },
  {
    names: ['TESSERA_EVENTS_MAX_MB'],
    default: '`1024`',
    meaning: "The change stream's size cap (MiB, per replica); past it the oldest events are discarded. 16-1048576.",
  },
  {
    names: ['TESSERA_NOTICES_MAX_AGE_MINUTES'],
    default: '`60`',
    meaning:
      'How long the notices stream (`TESSERA_NOTICES`: `token.issued`, thousands a second, the grant itself being in PostgreSQL) keeps a notification. 1-10080.',
  },
  {
    names: ['TESSERA_NOTICES_MAX_MB'],
    default: '`256`',
    meaning: "The notices stream's size cap (MiB, per replica). 1-1048576.",
  },
  {
    names: ['TESSERA_STREAM_REPLICAS'],
    default: '1, or 3 on a cluster',
    meaning:
      "Copies JetStream keeps of each stream: unset, 1 on a single server and 3 when the server says it is in a cluster of three or more. Applied to existing streams at start. 1-5 (at most the cluster's size).",
  },
  {
    names: ['METRICS_PORT'],
    default: 'unset (off)',
    meaning:
      "Where this process serves Prometheus metrics (`GET /metrics`): a port of its own, never the gateway's `PORT` (0 = any free port). Unset: no endpoint and no instrumentation. Embedded mode: one endpoint for all four services; `npm start` in distributed mode gives each process `METRICS_PORT` + its index (auth-server, integrations-registry, outbound-token-broker, gateway(s); printed at start). See [Operating Tessera](operate.md).",
  },
  {
    names: ['METRICS_HOST'],
    default: '`127.0.0.1`',
    meaning: 'Address the metrics endpoint listens on: loopback unless you say otherwise (`0.0.0.0` in containers, as compose does on its private network).',
  },
  {
    names: ['TESSERA_METRICS_TOKEN'],
    default: 'none',
    meaning:
      'When set (≥ 16 characters), a scrape must send `Authorization: Bearer <token>`; 401 otherwise. Set it whenever the metrics port is reachable beyond loopback.',
  },
  {
    names: ['TESSERA_METRICS_CLIENT_LABELS'],
    default: '`false`',
    meaning:
      "`true` adds `tessera_oauth_token_requests_by_client_total` and `tessera_tokens_issued_by_client_total` with a `client_id` label (one series per integration; only authenticated clients are counted), as Keycloak's per-client metrics.",
  },
  {
    names: ['TESSERA_TRUSTED_PROXIES'],
    default: 'none',
    meaning:
      "Reverse proxies in front of the gateway, as addresses or CIDRs, comma-separated (`10.0.0.0/8,::1`). `X-Forwarded-For` is believed only from these hops (walked right to left past them); unset, it is never read and the socket's peer is the client. Per-address limits depend on it.",
  },
  {
    names: ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    default: '\u2014',
    meaning:
      'Turns tracing on: every process sends its spans by OTLP/HTTP to `<endpoint>/v1/traces` (or to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given), e.g. `http://localhost:4318` for an OpenTelemetry Collector, Jaeger or Tempo. Unset: no SDK is loaded, no span is made, nothing is sent. See [Traces](operate.md#traces).',
  },
  {
    names: ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'],
    default: '`http/protobuf`',
    meaning: 'Or `http/json` (`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` for traces alone); grpc is not supported.',
  },
  {
    names: ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'],
    default: 'none',
    meaning: 'Headers on every export, `key=value,…` percent-encoded (an API key; never logged). Also `OTEL_EXPORTER_OTLP_TRACES_HEADERS`.',
  },
  {
    names: ['OTEL_EXPORTER_OTLP_TIMEOUT', 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'],
    default: '`10000`',
    meaning: 'How long one export may take, ms (`OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`).',
  },
  {
    names: ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'],
    default: '`parentbased_always_on`',
    meaning:
      "`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off` or `parentbased_traceidratio`; the ratio (0-1) for the last one and `traceidratio`. `parentbased_*` follows the caller's `traceparent` sampled flag, so a client can ask for its request to be sampled: use `traceidratio` to decide alone.",
  },
  {
    names: ['OTEL_SERVICE_NAME'],
    default: '`tessera-<service>` (`tessera` embedded)',
    meaning:
      "The `service.name` of the spans a process sends (`service.namespace` is `tessera`). Set, every process reports under it; server spans' `tessera.service` still names the service.",
  },
  {
    names: ['OTEL_RESOURCE_ATTRIBUTES'],
    default: 'none',
    meaning: 'More resource attributes, `key=value,…` (`deployment.environment=prod`).',
  },
  {
    names: ['OTEL_BSP_SCHEDULE_DELAY'],
    default: '`5000`',
    meaning: 'How long finished spans wait to be sent together, ms.',
  },
  {
    names: ['OTEL_SDK_DISABLED', 'OTEL_TRACES_EXPORTER'],
    default: '`false`, `otlp`',
    meaning: '`true` / `none` turn tracing off even with an endpoint set.',
  },
];

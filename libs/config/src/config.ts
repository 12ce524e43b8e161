import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseAddressList } from './addresses.js';
import { BUS_SECURITY_VARIABLES, readBusSecurity, type BusSecurityConfig } from './bus-security.js';
import { parseEgressAllow, type EgressAllowEntry } from './egress-allow.js';
import { readTracing, TRACING_VARIABLES, type TracingConfig } from './tracing.js';
import { TesseraEnvironment, type LogLevel } from './environment.js';
import { parseReplicas, type ServiceName } from './replicas.js';
import { METRICS_VARIABLES, readMetricsSettings, type MetricsSettings } from './metrics-settings.js';
import { readWebhookSettings, WEBHOOK_VARIABLES, type WebhookSettings } from './webhook-settings.js';
import { PASSWORD_HASHING_VARIABLES, readPasswordHashing, type PasswordHashing } from './password-hashing.js';

// The variables, their validation, and the pieces parsed on their own: re-exported so the public API stays one module.
export * from './addresses.js';
export * from './environment.js';
export * from './replicas.js';
export * from './webhook-settings.js';
export * from './password-hashing.js';

export type RuntimeMode = 'embedded' | 'distributed';

export interface TesseraConfig {
  mode: RuntimeMode;
  port: number;
  databaseUrl?: string;
  /** `transaction`: the database is reached through a transaction-mode pooler, so no session state (ADR 0039). */
  databasePooler: 'session' | 'transaction';
  natsUrl?: string;
  issuer: string;
  dataDir: string;
  logLevel: LogLevel;
  subjectPrefix: string;
  busTimeoutMs: number;
  encryptionKey?: string;
  adminPassword?: string;
  /** How admin passwords are hashed: `standard` unless a test run asks for weak hashes (TESSERA_TEST_WEAK_PASSWORD_HASHES). */
  passwordHashing: PasswordHashing;
  /** NATS credentials and TLS (libs/config/src/bus-security.ts). */
  busSecurity: BusSecurityConfig;
  /** How long the launcher waits for PostgreSQL and NATS at start (distributed mode), in milliseconds. */
  startupWaitMs: number;
  /** Processes per service in distributed mode (1 each unless TESSERA_REPLICAS says otherwise). */
  replicas: Record<ServiceName, number>;
  broker: BrokerSettings;
  /** Webhook delivery: the retry schedule and when a failing endpoint is disabled. */
  webhooks: WebhookSettings;
  /** The Shared Signals transmitter: seconds a receiver waits between two verification requests of a stream. */
  ssf: { minVerificationIntervalSeconds: number };
  /** TESSERA_EGRESS_ALLOW, parsed (ADR 0015). */
  egressAllow: EgressAllowEntry[];
  retention: RetentionConfig;
  /** Admin console sessions: the longest one lasts, and how long one may sit unused. */
  adminSessions: { maxMs: number; idleMs: number };
  /** Open live event streams (/admin/events/stream) one session (or integration) and one client address may hold. */
  eventStreams: { perSession: number; perAddress: number };
  /** The JetStream streams' retention and replicas (ADR 0038); `replicas` undefined: follow the server (1, or 3 on a cluster). */
  streams: {
    changes: { maxAgeMs: number; maxBytes: number };
    notices: { maxAgeMs: number; maxBytes: number };
    replicas?: number;
  };
  /** Hops whose X-Forwarded-For the gateway believes (TESSERA_TRUSTED_PROXIES); empty: the socket's peer is the client. */
  trustedProxies: string[];
  /** OpenTelemetry trace export (the standard OTEL_* variables); undefined: tracing off, nothing started. */
  tracing?: TracingConfig;
  /** METRICS_PORT and friends: where Prometheus metrics are served, if anywhere. */
  metrics: MetricsSettings;
}

/** How the outbound token broker treats slow providers (docs/decisions/0017). */
export interface BrokerSettings {
  providerTimeoutMs: number;
  refreshConcurrency: number;
  providerConcurrency: number;
}

/** How long rows are kept once nothing can need them (docs/decisions/0016), in milliseconds. */
export interface RetentionConfig {
  /** How often each service prunes; 0 = never. */
  pruneIntervalMs: number;
  /** Expired and revoked grants, authorization codes and authorization requests, past the point where nothing needs them. */
  grantsMs: number;
  /** Ids of applied events (the inbox). */
  inboxMs: number;
  /** Published events (the outbox). */
  outboxMs: number;
  /** The audit log's entries (append-only; only the pruner deletes, past this age). */
  auditMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Names of every variable Tessera reads; the compose-file test checks docker-compose.yml against it. */
export const CONFIG_VARIABLES = Object.freeze([
  'PORT',
  'DATABASE_URL',
  'NATS_URL',
  'TESSERA_DATABASE_POOLER',
  'TESSERA_ISSUER',
  'TESSERA_DATA_DIR',
  'LOG_LEVEL',
  'TESSERA_SUBJECT_PREFIX',
  'TESSERA_BUS_TIMEOUT_MS',
  'TESSERA_ENCRYPTION_KEY',
  'TESSERA_ADMIN_PASSWORD',
  'TESSERA_REPLICAS',
  'TESSERA_STARTUP_WAIT_SECONDS',
  'TESSERA_BROKER_PROVIDER_TIMEOUT_MS',
  'TESSERA_BROKER_REFRESH_CONCURRENCY',
  'TESSERA_BROKER_PROVIDER_CONCURRENCY',
  'TESSERA_EGRESS_ALLOW',
  'TESSERA_TRUSTED_PROXIES',
  'TESSERA_PRUNE_INTERVAL_SECONDS',
  'TESSERA_GRANT_RETENTION_HOURS',
  'TESSERA_INBOX_RETENTION_HOURS',
  'TESSERA_OUTBOX_RETENTION_HOURS',
  'TESSERA_AUDIT_RETENTION_DAYS',
  'TESSERA_ADMIN_SESSION_HOURS',
  'TESSERA_ADMIN_IDLE_MINUTES',
  'TESSERA_EVENT_STREAMS_PER_SESSION',
  'TESSERA_EVENT_STREAMS_PER_ADDRESS',
  'TESSERA_SSF_MIN_VERIFICATION_INTERVAL_SECONDS',
  'TESSERA_EVENTS_MAX_AGE_HOURS',
  'TESSERA_EVENTS_MAX_MB',
  'TESSERA_NOTICES_MAX_AGE_MINUTES',
  'TESSERA_NOTICES_MAX_MB',
  'TESSERA_STREAM_REPLICAS',
  ...BUS_SECURITY_VARIABLES,
  ...METRICS_VARIABLES,
  ...TRACING_VARIABLES,
  ...WEBHOOK_VARIABLES,
  ...PASSWORD_HASHING_VARIABLES,
] as const satisfies readonly (
  | keyof TesseraEnvironment
  | (typeof BUS_SECURITY_VARIABLES)[number]
  | (typeof METRICS_VARIABLES)[number]
  | (typeof TRACING_VARIABLES)[number]
  | (typeof WEBHOOK_VARIABLES)[number]
  | (typeof PASSWORD_HASHING_VARIABLES)[number]
)[]);

/** Read by their own modules, not through TesseraEnvironment's decorators. */
const SEPARATELY_READ: readonly string[] = [
  ...BUS_SECURITY_VARIABLES,
  ...METRICS_VARIABLES,
  ...TRACING_VARIABLES,
  ...WEBHOOK_VARIABLES,
  ...PASSWORD_HASHING_VARIABLES,
];

const HOUR_MS = 3_600_000;
const MIB = 1024 * 1024;

export interface LoadOptions {
  /**
   * Whether the process reading the configuration opens the database (default: yes). The gateway does not: it runs
   * distributed with NATS_URL alone and never sees DATABASE_URL.
   */
  opensDatabase?: boolean;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, { opensDatabase = true }: LoadOptions = {}): TesseraConfig {
  const raw = Object.fromEntries(CONFIG_VARIABLES.filter((name) => !SEPARATELY_READ.includes(name)).map((name) => [name, env[name]]));
  const parsed = plainToInstance(TesseraEnvironment, raw);
  const problems = validateSync(parsed, { forbidUnknownValues: false }).flatMap((error) => Object.values(error.constraints ?? {}).slice(0, 1));
  if (opensDatabase && Boolean(parsed.DATABASE_URL) !== Boolean(parsed.NATS_URL)) {
    problems.push('DATABASE_URL and NATS_URL go together: set both (distributed mode) or neither (embedded mode)');
  }
  const distributed = Boolean(opensDatabase ? parsed.DATABASE_URL : parsed.NATS_URL);
  const busSecurity = readBusSecurity(env, distributed, parsed.TESSERA_SUBJECT_PREFIX ?? '', problems);
  const replicas = parseReplicas(parsed.TESSERA_REPLICAS, problems);
  const metrics = readMetricsSettings(env, parsed.PORT ?? 3000, problems);
  if (!distributed && Object.values(replicas).some((n) => n > 1)) {
    problems.push('TESSERA_REPLICAS needs distributed mode (DATABASE_URL and NATS_URL): embedded mode is one process');
  }
  const egressAllow = parseEgressAllow(parsed.TESSERA_EGRESS_ALLOW);
  if (egressAllow.invalid.length) {
    problems.push(
      `TESSERA_EGRESS_ALLOW entries must be host, host:port, an address, address:port or a CIDR range; not ${egressAllow.invalid.map((e) => JSON.stringify(e)).join(', ')}`,
    );
  }
  const tracing = readTracing(env, problems);
  const webhooks = readWebhookSettings(env, problems);
  const passwordHashing = readPasswordHashing(env, problems);
  if (problems.length) throw new ConfigError(problems);
  const port = parsed.PORT ?? 3000;
  return {
    mode: distributed ? 'distributed' : 'embedded',
    port,
    databaseUrl: parsed.DATABASE_URL,
    databasePooler: parsed.TESSERA_DATABASE_POOLER ?? 'session',
    natsUrl: parsed.NATS_URL,
    issuer: (parsed.TESSERA_ISSUER ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir: parsed.TESSERA_DATA_DIR ?? './.tessera',
    logLevel: parsed.LOG_LEVEL ?? 'info',
    subjectPrefix: parsed.TESSERA_SUBJECT_PREFIX ?? '',
    busTimeoutMs: parsed.TESSERA_BUS_TIMEOUT_MS ?? 5000,
    encryptionKey: parsed.TESSERA_ENCRYPTION_KEY,
    adminPassword: parsed.TESSERA_ADMIN_PASSWORD,
    passwordHashing,
    busSecurity,
    replicas,
    startupWaitMs: (parsed.TESSERA_STARTUP_WAIT_SECONDS ?? 30) * 1000,
    broker: {
      providerTimeoutMs: parsed.TESSERA_BROKER_PROVIDER_TIMEOUT_MS ?? 10_000,
      refreshConcurrency: parsed.TESSERA_BROKER_REFRESH_CONCURRENCY ?? 32,
      providerConcurrency: parsed.TESSERA_BROKER_PROVIDER_CONCURRENCY ?? 8,
    },
    webhooks,
    ssf: { minVerificationIntervalSeconds: parsed.TESSERA_SSF_MIN_VERIFICATION_INTERVAL_SECONDS ?? 30 },
    egressAllow: egressAllow.entries,
    retention: {
      pruneIntervalMs: (parsed.TESSERA_PRUNE_INTERVAL_SECONDS ?? 300) * 1000,
      grantsMs: (parsed.TESSERA_GRANT_RETENTION_HOURS ?? 24) * HOUR_MS,
      inboxMs: (parsed.TESSERA_INBOX_RETENTION_HOURS ?? 168) * HOUR_MS,
      outboxMs: (parsed.TESSERA_OUTBOX_RETENTION_HOURS ?? 192) * HOUR_MS,
      auditMs: (parsed.TESSERA_AUDIT_RETENTION_DAYS ?? 365) * 24 * HOUR_MS,
    },
    adminSessions: { maxMs: (parsed.TESSERA_ADMIN_SESSION_HOURS ?? 8) * HOUR_MS, idleMs: (parsed.TESSERA_ADMIN_IDLE_MINUTES ?? 15) * 60_000 },
    eventStreams: { perSession: parsed.TESSERA_EVENT_STREAMS_PER_SESSION ?? 4, perAddress: parsed.TESSERA_EVENT_STREAMS_PER_ADDRESS ?? 16 },
    streams: {
      changes: { maxAgeMs: (parsed.TESSERA_EVENTS_MAX_AGE_HOURS ?? 168) * HOUR_MS, maxBytes: (parsed.TESSERA_EVENTS_MAX_MB ?? 1024) * MIB },
      notices: { maxAgeMs: (parsed.TESSERA_NOTICES_MAX_AGE_MINUTES ?? 60) * 60_000, maxBytes: (parsed.TESSERA_NOTICES_MAX_MB ?? 256) * MIB },
      replicas: parsed.TESSERA_STREAM_REPLICAS,
    },
    trustedProxies: parseAddressList(parsed.TESSERA_TRUSTED_PROXIES),
    tracing,
    metrics,
  };
}

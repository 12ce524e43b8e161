import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, Validate, validateSync,
  ValidatorConstraint, type ValidatorConstraintInterface,
} from 'class-validator';
import { isIP } from 'node:net';
import { BUS_SECURITY_VARIABLES, readBusSecurity, type BusSecurityConfig } from './bus-security.js';
import { parseEgressAllow, type EgressAllowEntry } from './egress-allow.js';
import { readTracing, TRACING_VARIABLES, type TracingConfig } from './tracing.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The processes `npm start` runs in distributed mode; TESSERA_REPLICAS says how many of each. */
export const SERVICE_NAMES = ['auth-server', 'integrations-registry', 'outbound-token-broker', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
const MAX_REPLICAS = 16;
const REPLICAS_MESSAGE = `TESSERA_REPLICAS must be a count for every service (2) or service=count pairs (gateway=2,auth-server=3) of ${SERVICE_NAMES.join(', ')}; 1-${MAX_REPLICAS} each`;
const REPLICAS_PATTERN = new RegExp(`^(\\d+|(${SERVICE_NAMES.join('|')})=\\d+(,(${SERVICE_NAMES.join('|')})=\\d+)*)$`);

const PORT_MESSAGE = 'PORT must be an integer between 0 and 65535';
const TIMEOUT_MESSAGE = 'TESSERA_BUS_TIMEOUT_MS must be an integer between 100 and 60000 (milliseconds)';
const BROKER_TIMEOUT_MESSAGE = 'TESSERA_BROKER_PROVIDER_TIMEOUT_MS must be an integer between 100 and 300000 (milliseconds)';
const REFRESH_CONCURRENCY_MESSAGE = 'TESSERA_BROKER_REFRESH_CONCURRENCY must be an integer between 1 and 1000';
const PROVIDER_CONCURRENCY_MESSAGE = 'TESSERA_BROKER_PROVIDER_CONCURRENCY must be an integer between 1 and 1000';
const PRUNE_INTERVAL_MESSAGE = 'TESSERA_PRUNE_INTERVAL_SECONDS must be an integer between 0 (never prune) and 86400';
const hoursMessage = (name: string, min: number) => `${name} must be an integer between ${min} and 8760 (hours)`;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** An IPv4/IPv6 address, or one with a prefix length (CIDR). */
export function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export function parseAddressList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
}

@ValidatorConstraint({ name: 'addressList' })
class AddressList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseAddressList(value).length > 0 && parseAddressList(value).every(isAddressOrCidr);
  }
}

/** The environment Tessera reads, exactly once, at start. Nothing else reads process.env. */
export class TesseraEnvironment {
  @Transform(toInt) @IsOptional() @IsInt({ message: PORT_MESSAGE }) @Min(0, { message: PORT_MESSAGE }) @Max(65535, { message: PORT_MESSAGE })
  PORT?: number;

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^(nats|tls|wss?):\/\/\S+(,(nats|tls|wss?):\/\/\S+)*$/, { message: 'NATS_URL must be one or more nats:// URLs separated by commas' })
  NATS_URL?: string;

  @Transform(blankToUndefined) @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'TESSERA_ISSUER must be an http(s) URL' })
  TESSERA_ISSUER?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(1)
  TESSERA_DATA_DIR?: string;

  @Transform(blankToUndefined) @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  /** Prefix for every NATS subject and the JetStream stream, so several platforms or test runs share one NATS. */
  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'TESSERA_SUBJECT_PREFIX must be 1-32 characters of A-Z a-z 0-9 _ -' })
  TESSERA_SUBJECT_PREFIX?: string;

  /** How long the gateway waits for a service over the bus before answering 503. */
  @Transform(toInt) @IsOptional() @IsInt({ message: TIMEOUT_MESSAGE }) @Min(100, { message: TIMEOUT_MESSAGE }) @Max(60000, { message: TIMEOUT_MESSAGE })
  TESSERA_BUS_TIMEOUT_MS?: number;

  /** The longest the broker waits for a provider's token endpoint; a provider's own timeoutSeconds may only shorten it. */
  @Transform(toInt) @IsOptional() @IsInt({ message: BROKER_TIMEOUT_MESSAGE }) @Min(100, { message: BROKER_TIMEOUT_MESSAGE }) @Max(300000, { message: BROKER_TIMEOUT_MESSAGE })
  TESSERA_BROKER_PROVIDER_TIMEOUT_MS?: number;

  /** Scheduled refreshes in flight at once in one broker replica. */
  @Transform(toInt) @IsOptional() @IsInt({ message: REFRESH_CONCURRENCY_MESSAGE }) @Min(1, { message: REFRESH_CONCURRENCY_MESSAGE }) @Max(1000, { message: REFRESH_CONCURRENCY_MESSAGE })
  TESSERA_BROKER_REFRESH_CONCURRENCY?: number;

  /** Scheduled refreshes in flight at once against one provider, across every broker replica. */
  @Transform(toInt) @IsOptional() @IsInt({ message: PROVIDER_CONCURRENCY_MESSAGE }) @Min(1, { message: PROVIDER_CONCURRENCY_MESSAGE }) @Max(1000, { message: PROVIDER_CONCURRENCY_MESSAGE })
  TESSERA_BROKER_PROVIDER_CONCURRENCY?: number;

  @Transform(blankToUndefined) @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43}=?$/, { message: 'TESSERA_ENCRYPTION_KEY must be 32 bytes, base64 or base64url encoded' })
  TESSERA_ENCRYPTION_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(12, { message: 'TESSERA_ADMIN_PASSWORD must be at least 12 characters' })
  TESSERA_ADMIN_PASSWORD?: string;

  /** How many processes of each service `npm start` runs in distributed mode. */
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : String(value).replace(/\s+/g, '')))
  @IsOptional() @Matches(REPLICAS_PATTERN, { message: REPLICAS_MESSAGE })
  TESSERA_REPLICAS?: string;
  /** Private and loopback destinations outbound calls may reach outside embedded mode (hosts, host:port, CIDRs). */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  TESSERA_EGRESS_ALLOW?: string;
  // Retention (docs/decisions/0016): how often each service prunes, and how long rows are kept once nothing needs them.
  @Transform(toInt) @IsOptional() @IsInt({ message: PRUNE_INTERVAL_MESSAGE }) @Min(0, { message: PRUNE_INTERVAL_MESSAGE }) @Max(86_400, { message: PRUNE_INTERVAL_MESSAGE })
  TESSERA_PRUNE_INTERVAL_SECONDS?: number;

  @Transform(toInt) @IsOptional() @IsInt({ message: hoursMessage('TESSERA_GRANT_RETENTION_HOURS', 0) }) @Min(0, { message: hoursMessage('TESSERA_GRANT_RETENTION_HOURS', 0) }) @Max(8760, { message: hoursMessage('TESSERA_GRANT_RETENTION_HOURS', 0) })
  TESSERA_GRANT_RETENTION_HOURS?: number;

  @Transform(toInt) @IsOptional() @IsInt({ message: hoursMessage('TESSERA_INBOX_RETENTION_HOURS', 1) }) @Min(1, { message: hoursMessage('TESSERA_INBOX_RETENTION_HOURS', 1) }) @Max(8760, { message: hoursMessage('TESSERA_INBOX_RETENTION_HOURS', 1) })
  TESSERA_INBOX_RETENTION_HOURS?: number;

  @Transform(toInt) @IsOptional() @IsInt({ message: hoursMessage('TESSERA_OUTBOX_RETENTION_HOURS', 0) }) @Min(0, { message: hoursMessage('TESSERA_OUTBOX_RETENTION_HOURS', 0) }) @Max(8760, { message: hoursMessage('TESSERA_OUTBOX_RETENTION_HOURS', 0) })
  TESSERA_OUTBOX_RETENTION_HOURS?: number;
  /** Reverse proxies whose X-Forwarded-For is believed: addresses and CIDRs, comma-separated. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  @Validate(AddressList, { message: 'TESSERA_TRUSTED_PROXIES must be IP addresses or CIDRs (e.g. 10.0.0.0/8,::1), comma-separated' })
  TESSERA_TRUSTED_PROXIES?: string;
}

export type RuntimeMode = 'embedded' | 'distributed';

export interface TesseraConfig {
  mode: RuntimeMode;
  port: number;
  databaseUrl?: string;
  natsUrl?: string;
  issuer: string;
  dataDir: string;
  logLevel: LogLevel;
  subjectPrefix: string;
  busTimeoutMs: number;
  encryptionKey?: string;
  adminPassword?: string;
  /** NATS credentials and TLS (libs/config/src/bus-security.ts). */
  busSecurity: BusSecurityConfig;
  /** Processes per service in distributed mode (1 each unless TESSERA_REPLICAS says otherwise). */
  replicas: Record<ServiceName, number>;
  broker: BrokerSettings;
  /** TESSERA_EGRESS_ALLOW, parsed (ADR 0015). */
  egressAllow: EgressAllowEntry[];
  retention: RetentionConfig;
  /** Hops whose X-Forwarded-For the gateway believes (TESSERA_TRUSTED_PROXIES); empty: the socket's peer is the client. */
  trustedProxies: string[];
  /** OpenTelemetry trace export (the standard OTEL_* variables); undefined: tracing off, nothing started. */
  tracing?: TracingConfig;
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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Names of every variable Tessera reads; the compose-file test checks docker-compose.yml against it. */
export const CONFIG_VARIABLES = Object.freeze([
  'PORT', 'DATABASE_URL', 'NATS_URL', 'TESSERA_ISSUER', 'TESSERA_DATA_DIR', 'LOG_LEVEL',
  'TESSERA_SUBJECT_PREFIX', 'TESSERA_BUS_TIMEOUT_MS', 'TESSERA_ENCRYPTION_KEY', 'TESSERA_ADMIN_PASSWORD', 'TESSERA_REPLICAS',
  'TESSERA_BROKER_PROVIDER_TIMEOUT_MS', 'TESSERA_BROKER_REFRESH_CONCURRENCY', 'TESSERA_BROKER_PROVIDER_CONCURRENCY',
  'TESSERA_EGRESS_ALLOW', 'TESSERA_TRUSTED_PROXIES',
  'TESSERA_PRUNE_INTERVAL_SECONDS', 'TESSERA_GRANT_RETENTION_HOURS', 'TESSERA_INBOX_RETENTION_HOURS', 'TESSERA_OUTBOX_RETENTION_HOURS',
  ...BUS_SECURITY_VARIABLES, ...TRACING_VARIABLES,
] as const satisfies readonly (keyof TesseraEnvironment | (typeof BUS_SECURITY_VARIABLES)[number] | (typeof TRACING_VARIABLES)[number])[]);
/** Read by their own modules (bus-security.ts, tracing.ts), not through TesseraEnvironment. */
const SEPARATELY_READ: readonly string[] = [...BUS_SECURITY_VARIABLES, ...TRACING_VARIABLES];

const HOUR_MS = 3_600_000;

export function loadConfig(env: Record<string, string | undefined> = process.env): TesseraConfig {
  const raw = Object.fromEntries(CONFIG_VARIABLES.filter((name) => !SEPARATELY_READ.includes(name)).map((name) => [name, env[name]]));
  const parsed = plainToInstance(TesseraEnvironment, raw);
  const problems = validateSync(parsed, { forbidUnknownValues: false }).flatMap((error) => Object.values(error.constraints ?? {}).slice(0, 1));
  if (Boolean(parsed.DATABASE_URL) !== Boolean(parsed.NATS_URL)) {
    problems.push('DATABASE_URL and NATS_URL go together: set both (distributed mode) or neither (embedded mode)');
  }
  const busSecurity = readBusSecurity(env, Boolean(parsed.DATABASE_URL), parsed.TESSERA_SUBJECT_PREFIX ?? '', problems);
  const replicas = parseReplicas(parsed.TESSERA_REPLICAS, problems);
  if (!parsed.DATABASE_URL && Object.values(replicas).some((n) => n > 1)) {
    problems.push('TESSERA_REPLICAS needs distributed mode (DATABASE_URL and NATS_URL): embedded mode is one process');
  }
  const egressAllow = parseEgressAllow(parsed.TESSERA_EGRESS_ALLOW);
  if (egressAllow.invalid.length) {
    problems.push(`TESSERA_EGRESS_ALLOW entries must be host, host:port, an address, address:port or a CIDR range; not ${egressAllow.invalid.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  const tracing = readTracing(env, problems);
  if (problems.length) throw new ConfigError(problems);
  const port = parsed.PORT ?? 3000;
  return {
    mode: parsed.DATABASE_URL ? 'distributed' : 'embedded',
    port,
    databaseUrl: parsed.DATABASE_URL,
    natsUrl: parsed.NATS_URL,
    issuer: (parsed.TESSERA_ISSUER ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir: parsed.TESSERA_DATA_DIR ?? './.tessera',
    logLevel: parsed.LOG_LEVEL ?? 'info',
    subjectPrefix: parsed.TESSERA_SUBJECT_PREFIX ?? '',
    busTimeoutMs: parsed.TESSERA_BUS_TIMEOUT_MS ?? 5000,
    encryptionKey: parsed.TESSERA_ENCRYPTION_KEY,
    adminPassword: parsed.TESSERA_ADMIN_PASSWORD,
    busSecurity,
    replicas,
    broker: {
      providerTimeoutMs: parsed.TESSERA_BROKER_PROVIDER_TIMEOUT_MS ?? 10_000,
      refreshConcurrency: parsed.TESSERA_BROKER_REFRESH_CONCURRENCY ?? 32,
      providerConcurrency: parsed.TESSERA_BROKER_PROVIDER_CONCURRENCY ?? 8,
    },
    egressAllow: egressAllow.entries,
    retention: {
      pruneIntervalMs: (parsed.TESSERA_PRUNE_INTERVAL_SECONDS ?? 300) * 1000,
      grantsMs: (parsed.TESSERA_GRANT_RETENTION_HOURS ?? 24) * HOUR_MS,
      inboxMs: (parsed.TESSERA_INBOX_RETENTION_HOURS ?? 168) * HOUR_MS,
      outboxMs: (parsed.TESSERA_OUTBOX_RETENTION_HOURS ?? 1) * HOUR_MS,
    },
    trustedProxies: parseAddressList(parsed.TESSERA_TRUSTED_PROXIES),
    tracing,
  };
}

function parseReplicas(value: string | undefined, problems: string[]): Record<ServiceName, number> {
  const replicas = Object.fromEntries(SERVICE_NAMES.map((name) => [name, 1])) as Record<ServiceName, number>;
  if (!value || !REPLICAS_PATTERN.test(value)) return replicas;
  const pairs = /^\d+$/.test(value) ? SERVICE_NAMES.map((name) => [name, value]) : value.split(',').map((pair) => pair.split('='));
  for (const [name, count] of pairs) replicas[name as ServiceName] = Number(count);
  if (Object.values(replicas).some((n) => !Number.isInteger(n) || n < 1 || n > MAX_REPLICAS)) problems.push(REPLICAS_MESSAGE);
  return replicas;
}

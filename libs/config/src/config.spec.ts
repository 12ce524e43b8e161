import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('chooses embedded mode with defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'embedded',
      port: 3000,
      issuer: 'http://localhost:3000',
      dataDir: './.tessera',
      logLevel: 'info',
      busTimeoutMs: 5000,
    });
  });

  it('runs a process that opens no database (the gateway) distributed with NATS_URL alone; a service still needs both', () => {
    expect(loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' }, { opensDatabase: false })).toMatchObject({ mode: 'distributed', databaseUrl: undefined });
    expect(loadConfig({}, { opensDatabase: false })).toMatchObject({ mode: 'embedded' });
    expect(() => loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' })).toThrow(ConfigError);
  });

  it('chooses distributed mode when DATABASE_URL and NATS_URL are set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', NATS_URL: 'nats://127.0.0.1:4222', PORT: '8080' });
    expect(config).toMatchObject({ mode: 'distributed', port: 8080, issuer: 'http://localhost:8080' });
  });

  it('reports one clear message per bad value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', NATS_URL: 'http://x', DATABASE_URL: 'postgres://h/db', TESSERA_ISSUER: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT must be an integer/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of/);
    expect(problems.join('\n')).toMatch(/NATS_URL must be/);
    expect(problems.join('\n')).toMatch(/TESSERA_ISSUER must be/);
  });

  it('refuses half a distributed configuration', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://h/db' })).toThrow(/DATABASE_URL and NATS_URL go together/);
  });

  it('reads TESSERA_REPLICAS as one count for every service or service=count pairs', () => {
    const distributed = { DATABASE_URL: 'postgres://h/db', NATS_URL: 'nats://127.0.0.1:4222' };
    expect(loadConfig(distributed).replicas).toEqual({ 'auth-server': 1, 'integrations-registry': 1, 'outbound-token-broker': 1, gateway: 1 });
    expect(loadConfig({ ...distributed, TESSERA_REPLICAS: '2' }).replicas).toEqual({
      'auth-server': 2,
      'integrations-registry': 2,
      'outbound-token-broker': 2,
      gateway: 2,
    });
    expect(loadConfig({ ...distributed, TESSERA_REPLICAS: 'gateway=3, auth-server=2' }).replicas).toEqual({
      'auth-server': 2,
      'integrations-registry': 1,
      'outbound-token-broker': 1,
      gateway: 3,
    });
    for (const bad of ['0', '17', 'gateway=0', 'billing=2', 'two', 'gateway=2,']) {
      expect(() => loadConfig({ ...distributed, TESSERA_REPLICAS: bad }), bad).toThrow(/TESSERA_REPLICAS must be/);
    }
    expect(() => loadConfig({ TESSERA_REPLICAS: '2' })).toThrow(/TESSERA_REPLICAS needs distributed mode/);
  });

  it('reads the retention settings, in hours and seconds, and refuses out-of-range ones', () => {
    expect(loadConfig({}).retention).toEqual({
      pruneIntervalMs: 300_000,
      grantsMs: 24 * 3_600_000,
      inboxMs: 168 * 3_600_000,
      outboxMs: 192 * 3_600_000,
      auditMs: 365 * 24 * 3_600_000,
    });
    expect(
      loadConfig({
        TESSERA_PRUNE_INTERVAL_SECONDS: '0',
        TESSERA_GRANT_RETENTION_HOURS: '0',
        TESSERA_INBOX_RETENTION_HOURS: '2',
        TESSERA_OUTBOX_RETENTION_HOURS: '0',
      }).retention,
    ).toEqual({ pruneIntervalMs: 0, grantsMs: 0, inboxMs: 7_200_000, outboxMs: 0, auditMs: 365 * 24 * 3_600_000 });
    expect(() => loadConfig({ TESSERA_INBOX_RETENTION_HOURS: '0' })).toThrow(/TESSERA_INBOX_RETENTION_HOURS must be an integer between 1 and 8760/);
    expect(() => loadConfig({ TESSERA_GRANT_RETENTION_HOURS: 'a day' })).toThrow(/TESSERA_GRANT_RETENTION_HOURS/);
    expect(() => loadConfig({ TESSERA_PRUNE_INTERVAL_SECONDS: '-5' })).toThrow(/TESSERA_PRUNE_INTERVAL_SECONDS/);
  });

  it('reads TESSERA_TRUSTED_PROXIES as addresses and CIDRs, and refuses anything else', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TESSERA_TRUSTED_PROXIES: ' 10.0.0.1, 10.1.0.0/16,::1,fd00::/8 ' }).trustedProxies).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/8', '*', ',', '10.0.0.1,nope', '::1/129']) {
      expect(() => loadConfig({ TESSERA_TRUSTED_PROXIES: bad }), bad).toThrow(/TESSERA_TRUSTED_PROXIES must be IP addresses or CIDRs/);
    }
  });

  it('serves no metrics unless METRICS_PORT is set, on loopback by default, never on the gateway port', () => {
    expect(loadConfig({}).metrics).toEqual({ port: undefined, host: '127.0.0.1', token: undefined, clientLabels: false });
    expect(
      loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', TESSERA_METRICS_TOKEN: 'a-long-scrape-token', TESSERA_METRICS_CLIENT_LABELS: 'true' })
        .metrics,
    ).toEqual({ port: 9464, host: '0.0.0.0', token: 'a-long-scrape-token', clientLabels: true });
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must be .* not the gateway's PORT/);
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT/);
    for (const bad of ['nine', '70000', '-1']) expect(() => loadConfig({ METRICS_PORT: bad }), bad).toThrow(/METRICS_PORT must be/);
    expect(() => loadConfig({ METRICS_HOST: 'metrics.example' })).toThrow(/METRICS_HOST must be an IP address/);
    expect(() => loadConfig({ TESSERA_METRICS_TOKEN: 'short' })).toThrow(/TESSERA_METRICS_TOKEN must be at least 16/);
    expect(() => loadConfig({ TESSERA_METRICS_CLIENT_LABELS: 'yes' })).toThrow(/TESSERA_METRICS_CLIENT_LABELS must be true or false/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('chooses embedded mode with defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'embedded', port: 3000, issuer: 'http://localhost:3000', dataDir: './.tessera', logLevel: 'info', busTimeoutMs: 5000 });
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

  it('reads TESSERA_TRUSTED_PROXIES as addresses and CIDRs, and refuses anything else', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TESSERA_TRUSTED_PROXIES: ' 10.0.0.1, 10.1.0.0/16,::1,fd00::/8 ' }).trustedProxies).toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8']);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/8', '*', ',', '10.0.0.1,nope', '::1/129']) {
      expect(() => loadConfig({ TESSERA_TRUSTED_PROXIES: bad }), bad).toThrow(/TESSERA_TRUSTED_PROXIES must be IP addresses or CIDRs/);
    }
  });
});

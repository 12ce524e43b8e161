import { CONFIG_VARIABLES, loadConfig } from '@tessera/config';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_SERVICES } from '../src/platform.js';
import { newEncryptionKey, repoRoot } from './processes.js';

interface ComposeService {
  image?: string;
  command?: string[];
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  depends_on?: Record<string, unknown>;
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');

/** What an operator's shell would supply for the variables compose requires (`${NAME:?…}`). */
const operatorEnvironment: Record<string, string> = { TESSERA_ENCRYPTION_KEY: newEncryptionKey() };

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}` interpolation, enough for this file. */
function interpolate(value: string | number): string {
  return String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    const given = operatorEnvironment[name];
    if (given !== undefined && given !== '') return given;
    if (kind === '?') throw new Error(`${name} is required: ${rest}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

describe('docker-compose.yml', () => {
  it('runs postgres, nats with JetStream, and the four services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['nats', 'postgres', ...ALL_SERVICES].sort());
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    expect(compose.services.nats.image).toMatch(/^nats:/);
    expect(compose.services.nats.command).toContain('-js');
  });

  describe.each(ALL_SERVICES)('%s', (service) => {
    const definition = compose.services[service];

    it('builds from the one Dockerfile, for its own entry point', () => {
      expect(definition.build).toMatchObject({ context: '.', dockerfile: 'Dockerfile', args: { SERVICE: service } });
      expect(existsSync(join(repoRoot, 'apps', service, 'src', 'main.ts'))).toBe(true);
      expect(definition.depends_on).toHaveProperty('postgres');
      expect(definition.depends_on).toHaveProperty('nats');
    });

    it('sets only variables Tessera reads, and loadConfig accepts them in distributed mode', () => {
      const environment = Object.fromEntries(Object.entries(definition.environment ?? {}).map(([name, value]) => [name, interpolate(value)]));
      for (const name of Object.keys(environment)) expect(CONFIG_VARIABLES).toContain(name);
      const config = loadConfig(environment);
      expect(config.mode).toBe('distributed');
      expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
      expect(new URL(config.natsUrl!).hostname).toBe('nats');
      expect(config.encryptionKey).toBe(operatorEnvironment.TESSERA_ENCRYPTION_KEY);
    });
  });

  it('refuses to start without an encryption key rather than running with none', () => {
    const required = String(compose.services['auth-server'].environment?.TESSERA_ENCRYPTION_KEY);
    expect(required).toMatch(/^\$\{TESSERA_ENCRYPTION_KEY:\?/);
  });
});

describe('Dockerfile', () => {
  it('builds in one node:20-bookworm-slim stage and runs the chosen service from its dist/ in another', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\w+)/gm)].map(([, image, name]) => ({ image, name }));
    expect(stages).toEqual([{ image: 'node:20-bookworm-slim', name: 'build' }, { image: 'node:20-bookworm-slim', name: 'runtime' }]);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/node tools\/build\.mjs/);
    expect(dockerfile).toMatch(/^ARG SERVICE=/m);
    expect(dockerfile).toMatch(/node [^"\n]*apps\/\$\{SERVICE\}\/dist\/main\.js/);
  });
});

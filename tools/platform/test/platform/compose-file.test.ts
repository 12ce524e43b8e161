import { nkeys } from '@nats-io/transport-node';
import { busCredentialFile, CONFIG_VARIABLES, loadConfig } from '@tessera/config';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVER_CONFIG_FILE } from '../../src/nats-config/generate.js';
import { ALL_SERVICES } from '../../src/platform.js';
import { newEncryptionKey, repoRoot } from '../support/processes.js';

interface ComposeService {
  image?: string;
  command?: string[];
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  depends_on?: Record<string, unknown>;
  secrets?: { source: string; target: string }[];
  volumes?: string[];
  profiles?: string[];
  ports?: string[];
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
const credential = join(mkdtempSync(join(tmpdir(), 'tessera-compose-')), 'service.nk');
writeFileSync(credential, `${new TextDecoder().decode(nkeys.createUser().getSeed())}\n`);
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
  it('runs postgres, nats with JetStream, and the four services (anything else only in an optional profile)', () => {
    const always = Object.entries(compose.services)
      .filter(([, service]) => !service.profiles?.length)
      .map(([name]) => name);
    expect(always.sort()).toEqual(['nats', 'postgres', ...ALL_SERVICES].sort());
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    expect(compose.services.nats.image).toMatch(/^nats:/);
    expect(compose.services.nats.command).toContain('-js');
  });

  it('starts NATS from the generated configuration, not open', () => {
    const command = compose.services.nats.command!;
    expect(command[command.indexOf('-c') + 1]).toBe('/etc/nats/nats-server.conf');
    expect(compose.services.nats.volumes).toContain(`./.nats/${SERVER_CONFIG_FILE}:/etc/nats/nats-server.conf:ro`);
  });

  describe.each(ALL_SERVICES)('%s', (service) => {
    const definition = compose.services[service];

    it('builds from the one Dockerfile, for its own entry point', () => {
      expect(definition.build).toMatchObject({ context: '.', dockerfile: 'Dockerfile', args: { SERVICE: service } });
      expect(existsSync(join(repoRoot, 'apps', service, 'src', 'main.ts'))).toBe(true);
      expect(definition.depends_on).toHaveProperty('postgres');
      expect(definition.depends_on).toHaveProperty('nats');
    });

    it('is given its own NATS credential and no other, and requires a secure bus', () => {
      expect(definition.secrets).toEqual([{ source: `nats-${service}`, target: 'nats_credential' }]);
      expect(compose.secrets[`nats-${service}`].file).toBe(`./${relative(repoRoot, busCredentialFile(join(repoRoot, '.nats'), '', service))}`);
      expect(definition.environment).toMatchObject({ NATS_CREDS: '/run/secrets/nats_credential', TESSERA_REQUIRE_SECURE_BUS: 'true' });
    });

    it('sets only variables Tessera reads, and loadConfig accepts them in distributed mode', () => {
      const environment = Object.fromEntries(Object.entries(definition.environment ?? {}).map(([name, value]) => [name, interpolate(value)]));
      // The secret's path inside the container; here, a credential of the same form.
      environment.NATS_CREDS = credential;
      for (const name of Object.keys(environment)) expect(CONFIG_VARIABLES).toContain(name);
      const config = loadConfig(environment);
      expect(config.mode).toBe('distributed');
      expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
      expect(new URL(config.natsUrl!).hostname).toBe('nats');
      expect(config.encryptionKey).toBe(operatorEnvironment.TESSERA_ENCRYPTION_KEY);
    });
  });

  it("runs Prometheus (with the repo's scrape config and alert rules) and Grafana only in the observability profile", () => {
    const { prometheus, grafana } = compose.services;
    expect(prometheus.profiles).toEqual(['observability']);
    expect(grafana.profiles).toEqual(['observability']);
    for (const volume of [...prometheus.volumes!, ...grafana.volumes!].filter((v) => v.startsWith('./'))) {
      expect(existsSync(join(repoRoot, volume.split(':')[0])), volume).toBe(true);
    }
    // Their UIs on the host's loopback only.
    for (const port of [...prometheus.ports!, ...grafana.ports!]) expect(port).toMatch(/^127\.0\.0\.1:/);
    const scrape = parse(readFileSync(join(repoRoot, 'deploy/observability/prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    const targets = scrape.scrape_configs.flatMap((job) => job.static_configs.flatMap((group) => group.targets));
    for (const service of ALL_SERVICES) {
      const port = interpolate(compose.services[service].environment!.METRICS_PORT);
      expect(targets, service).toContain(`${service}:${port}`);
      // Metrics stay on compose's private network: no service publishes its metrics port on the host.
      expect(
        (compose.services[service].ports ?? []).some((published) => published.includes(port)),
        service,
      ).toBe(false);
    }
  });

  it('refuses to start without an encryption key rather than running with none', () => {
    const required = String(compose.services['auth-server'].environment?.TESSERA_ENCRYPTION_KEY);
    expect(required).toMatch(/^\$\{TESSERA_ENCRYPTION_KEY:\?/);
  });
});

describe('Dockerfile', () => {
  it('builds in one node:20-bookworm-slim stage and runs the chosen service from its dist/ in another', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\w+)/gm)].map(([, image, name]) => ({ image, name }));
    expect(stages).toEqual([
      { image: 'node:20-bookworm-slim', name: 'build' },
      { image: 'node:20-bookworm-slim', name: 'runtime' },
    ]);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/node tools\/build\.mjs/);
    expect(dockerfile).toMatch(/^ARG SERVICE=/m);
    expect(dockerfile).toMatch(/node [^"\n]*apps\/\$\{SERVICE\}\/dist\/main\.js/);
  });

  it('ships the platform CLI, so reset-admin-password works inside the image', () => {
    expect(dockerfile).toMatch(/^COPY --from=build .*\/app\/tools\/platform\/dist \.\/tools\/platform\/dist$/m);
    expect(dockerfile).toMatch(/^COPY --from=build .*\/app\/tools\/platform\/package\.json /m);
    expect(existsSync(join(repoRoot, 'tools', 'platform', 'src', 'cli.ts'))).toBe(true);
  });
});

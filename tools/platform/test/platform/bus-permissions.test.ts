import { jetstreamManager } from '@nats-io/jetstream';
import { connect, nkeyAuthenticator, PermissionViolationError, type NatsConnection } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { BUS_SERVICES, Subjects, type BusService } from '@tessera/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNatsConfig } from '../../src/nats-config/generate.js';
import { NATS_SERVER, startSecuredNats, type SecuredNats } from '../support/secured-nats.js';

/**
 * The generated nats-server configuration, loaded by a nats-server of this test's own: what each service's
 * credential may and may not do. Every refusal is the server's own permissions violation, not a timeout.
 */
let nats: SecuredNats;
const open: NatsConnection[] = [];

async function as(service: BusService, prefix = 'alpha'): Promise<NatsConnection> {
  const seed = (await readFile(busCredentialFile(nats.credentials, prefix, service), 'utf8')).trim();
  const nc = await connect({
    servers: nats.url,
    authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
    inboxPrefix: `_INBOX.${service}`,
    reconnect: false,
  });
  open.push(nc);
  return nc;
}

/** Does `act` and resolves with the permissions violation the server answers it with (or fails after 2 s). */
async function refusal(nc: NatsConnection, act: () => unknown): Promise<PermissionViolationError> {
  const statuses = nc.status();
  const seen = (async () => {
    for await (const status of statuses) {
      if (status.type === 'error' && status.error instanceof PermissionViolationError) return status.error;
    }
    throw new Error('connection closed without a permissions violation');
  })();
  act();
  await nc.flush().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no permissions violation within 2 s')), 2_000);
  });
  try {
    return await Promise.race([seen, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when the server has had time to refuse `act` and did not (a round trip after it). */
async function allowed(nc: NatsConnection, act: () => unknown): Promise<void> {
  const errors: unknown[] = [];
  const statuses = nc.status();
  void (async () => {
    for await (const s of statuses) if (s.type === 'error') errors.push(s.error);
  })();
  act();
  await nc.flush();
  await nc.rtt();
  expect(errors).toEqual([]);
}

const wire = (subject: string) => `alpha.${subject}`;

beforeAll(async () => {
  nats = await startSecuredNats({ prefixes: ['alpha', 'beta'] });
});
afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await nats?.stop();
});

describe('npm run nats:config', () => {
  it('writes a configuration the Debian nats-server (2.9) accepts, and is idempotent: keys kept unless --rotate', async () => {
    expect(execFileSync(NATS_SERVER, ['-t', '-c', nats.configFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    const before = await readFile(nats.configFile, 'utf8');
    const seed = await readFile(busCredentialFile(nats.credentials, 'alpha', 'gateway'), 'utf8');
    const again = await generateNatsConfig({ dir: nats.credentials, prefixes: [], storeDir: false });
    expect(again.accounts.map((a) => a.name)).toEqual(['platform-alpha', 'platform-beta']);
    expect(again.accounts.every((a) => a.created.length === 0 && a.rotated.length === 0)).toBe(true);
    expect(await readFile(nats.configFile, 'utf8')).toBe(before);
    expect(await readFile(busCredentialFile(nats.credentials, 'alpha', 'gateway'), 'utf8')).toBe(seed);
    expect(before).not.toContain(seed.trim()); // the server holds public keys only
  });

  it('says where nats-server listens (loopback by default) and keeps its stream, so `nats-server -c` alone runs as documented', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-place-'));
    try {
      const defaults = await readFile((await generateNatsConfig({ dir, prefixes: ['P'] })).configFile, 'utf8');
      expect(defaults).toContain('listen: "127.0.0.1:4222"');
      expect(defaults).toContain(`store_dir: ${JSON.stringify(join(dir, 'jetstream'))}`);
      const chosen = await readFile((await generateNatsConfig({ dir, prefixes: [], listen: '0.0.0.0:4333', storeDir: join(dir, 'js') })).configFile, 'utf8');
      expect(chosen).toContain('listen: "0.0.0.0:4333"');
      expect(chosen).toContain(`store_dir: ${JSON.stringify(join(dir, 'js'))}`);
      expect(execFileSync(NATS_SERVER, ['-t', '-c', join(dir, 'nats-server.conf')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes one file for every node of a cluster: routes to all, each node named by its environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-cluster-'));
    try {
      const routes = ['nats-route://10.0.0.1:6222', 'nats-route://10.0.0.2:6222', 'nats-route://10.0.0.3:6222'];
      const file = (await generateNatsConfig({ dir, prefixes: ['P'], cluster: { name: 'tessera', listen: '0.0.0.0:6222', routes } })).configFile;
      const text = await readFile(file, 'utf8');
      expect(text).toContain('server_name: $NATS_SERVER_NAME');
      for (const route of routes) expect(text).toContain(JSON.stringify(route));
      for (const node of ['h1', 'h2', 'h3'])
        expect(
          execFileSync(NATS_SERVER, ['-t', '-c', file], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, NATS_SERVER_NAME: node },
          }),
        ).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--rotate replaces the keys of the platforms named (and only those)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-rotate-'));
    try {
      await generateNatsConfig({ dir, prefixes: ['a', 'b'] });
      const read = (prefix: string) => readFile(busCredentialFile(dir, prefix, 'auth-server'), 'utf8');
      const [a, b] = [await read('a'), await read('b')];
      const result = await generateNatsConfig({ dir, prefixes: ['a'], rotate: true });
      expect(result.accounts.find((x) => x.subjectPrefix === 'a')!.rotated).toEqual([...BUS_SERVICES]);
      expect(result.accounts.find((x) => x.subjectPrefix === 'b')!.rotated).toEqual([]);
      expect(await read('a')).not.toBe(a);
      expect(await read('b')).toBe(b);
      expect((await stat(busCredentialFile(dir, 'a', 'auth-server'))).mode & 0o077).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the secured bus', () => {
  it('refuses an anonymous connection and a made-up key', async () => {
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(/authorization/i);
    const { nkeys } = await import('@nats-io/transport-node');
    await expect(connect({ servers: nats.url, reconnect: false, authenticator: nkeyAuthenticator(nkeys.createUser().getSeed()) })).rejects.toThrow(
      /authorization/i,
    );
  });

  it('the broker cannot create an integration; the registry cannot call or serve the auth server', async () => {
    const broker = await as('outbound-token-broker');
    const create = await refusal(broker, () => broker.publish(wire(Subjects.registry.integration.create), '{"permissions":["*:platform=admin"]}'));
    expect(create).toMatchObject({ operation: 'publish', subject: wire(Subjects.registry.integration.create) });
    const registry = await as('integrations-registry');
    for (const subject of [Subjects.auth.token.issue, Subjects.auth.admin.login]) {
      expect(await refusal(registry, () => registry.publish(wire(subject), '{}'))).toMatchObject({ operation: 'publish', subject: wire(subject) });
    }
    expect(await refusal(registry, () => registry.subscribe(wire('tessera.auth.>')))).toMatchObject({
      operation: 'subscription',
      subject: wire('tessera.auth.>'),
    });
  });

  it("only the gateway sends admin.login (so the address it carries is the gateway's), and only the auth server answers it", async () => {
    for (const service of ['auth-server', 'integrations-registry', 'outbound-token-broker'] as const) {
      const nc = await as(service);
      expect(await refusal(nc, () => nc.publish(wire(Subjects.auth.admin.login), '{}'))).toMatchObject({ operation: 'publish' });
    }
    const gateway = await as('gateway');
    await allowed(gateway, () => gateway.publish(wire(Subjects.auth.admin.login), '{}'));
    expect(await refusal(gateway, () => gateway.subscribe(wire(Subjects.auth.admin.login), { queue: 'auth-server' }))).toMatchObject({
      operation: 'subscription',
    });
  });

  it("the gateway cannot subscribe to everything, to the auth subjects, or to another service's inbox", async () => {
    const gateway = await as('gateway');
    for (const subject of ['>', wire('>'), wire('tessera.auth.>'), '_INBOX.auth-server.>', '_INBOX.>']) {
      expect(await refusal(gateway, () => gateway.subscribe(subject)), subject).toMatchObject({ operation: 'subscription', subject });
    }
  });

  it("no service can subscribe to another service's replies, and each can to its own", async () => {
    for (const service of BUS_SERVICES) {
      const nc = await as(service);
      await allowed(nc, () => nc.subscribe(`_INBOX.${service}.x.*`));
      for (const other of BUS_SERVICES.filter((o) => o !== service)) {
        expect(await refusal(nc, () => nc.subscribe(`_INBOX.${other}.>`))).toMatchObject({ operation: 'subscription', subject: `_INBOX.${other}.>` });
      }
    }
  });

  it("a service cannot read another service's durable consumer or touch another platform's stream", async () => {
    const gateway = await as('gateway');
    const stolen = '$JS.API.CONSUMER.MSG.NEXT.TESSERA_EVENTS_alpha.auth-server__tessera_events_registry_integration_created';
    expect(await refusal(gateway, () => gateway.publish(stolen, '{}'))).toMatchObject({ operation: 'publish', subject: stolen });
    const deleted = '$JS.API.STREAM.DELETE.TESSERA_EVENTS_alpha';
    expect(await refusal(gateway, () => gateway.publish(deleted))).toMatchObject({ operation: 'publish', subject: deleted });
    const auth = await as('auth-server');
    const wideFilter = '$JS.API.CONSUMER.CREATE.TESSERA_EVENTS_alpha.auth-server-watch.alpha.tessera.events.>';
    expect(await refusal(auth, () => auth.publish(wideFilter, '{}'))).toMatchObject({ operation: 'publish', subject: wideFilter });
  });

  it("another platform's account sees nothing of this one: not its replies, not its stream", async () => {
    const alphaAuth = await as('auth-server');
    await (await jetstreamManager(alphaAuth)).streams.add({ name: 'TESSERA_EVENTS_alpha', subjects: [wire('tessera.events.>')] });
    alphaAuth.subscribe(wire(Subjects.auth.ping), { callback: (_e, msg) => void msg.respond('pong') });
    await alphaAuth.flush();

    const betaGateway = await as('gateway', 'beta');
    const overheard: string[] = [];
    betaGateway.subscribe('_INBOX.gateway.>', { callback: (_e, msg) => void overheard.push(msg.subject) });
    await betaGateway.flush();
    const alphaGateway = await as('gateway');
    expect(new TextDecoder().decode((await alphaGateway.request(wire(Subjects.auth.ping), '', { timeout: 2_000 })).data)).toBe('pong');
    await betaGateway.flush();
    expect(overheard).toEqual([]);
    // The same inbox prefix, but in another account: beta's stream list is empty although alpha has one.
    expect((await (await jetstreamManager(betaGateway)).getAccountInfo()).streams).toBe(0);
    expect((await (await jetstreamManager(alphaGateway)).getAccountInfo()).streams).toBe(1);
  });
});

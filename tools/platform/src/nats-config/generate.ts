import { busAccountName, busCredentialFile } from '@tessera/config';
import { BUS_SERVICES, type BusService } from '@tessera/contracts';
import { nkeys } from '@nats-io/transport-node';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_SERVER_PLACE, renderServerConfig, type PlatformAccount, type ServerCluster, type ServerTls } from './server-config.js';

export const SERVER_CONFIG_FILE = 'nats-server.conf';
/** Remembers which folder is which prefix (a folder name alone can't tell `platform-a` the prefix from a typo). */
const PREFIX_FILE = 'subject-prefix';

export interface GenerateOptions {
  dir: string;
  /** Subject prefixes of the platforms to add ('' = a platform without prefix). Platforms already in `dir` are kept. */
  prefixes: string[];
  /** Replace the keys of the given prefixes (all platforms in `dir` when none is given). */
  rotate?: boolean;
  tls?: ServerTls;
  /** host:port nats-server listens on (default 127.0.0.1:4222). */
  listen?: string;
  /** JetStream's store directory (default `<dir>/jetstream`); false: none in the file, for a server given `-sd`. */
  storeDir?: string | false;
  /** A JetStream cluster the same file serves on every node. */
  cluster?: ServerCluster;
}

export interface GenerateResult {
  configFile: string;
  accounts: { name: string; subjectPrefix: string; created: BusService[]; rotated: BusService[] }[];
}

async function existingPrefixes(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const prefixes: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const prefix = await readFile(join(dir, entry.name, PREFIX_FILE), 'utf8').catch(() => undefined);
    if (prefix !== undefined && busAccountName(prefix.trim()) === entry.name) prefixes.push(prefix.trim());
  }
  return prefixes;
}

async function readSeed(file: string): Promise<Uint8Array | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text ? new TextEncoder().encode(text.trim()) : undefined;
}

/**
 * Writes the nats-server configuration and one nkey seed per service and platform. Idempotent: existing seeds are
 * kept (so running it again changes nothing) unless `rotate`; seed files are readable by their owner only.
 */
export async function generateNatsConfig(options: GenerateOptions): Promise<GenerateResult> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const known = await existingPrefixes(options.dir);
  const asked = options.prefixes.length ? options.prefixes : known.length ? [] : [''];
  const prefixes = [...new Set([...known, ...asked])].sort();
  const rotating = new Set(options.rotate ? (options.prefixes.length ? options.prefixes : prefixes) : []);
  const accounts: PlatformAccount[] = [];
  const result: GenerateResult = { configFile: join(options.dir, SERVER_CONFIG_FILE), accounts: [] };
  for (const subjectPrefix of prefixes) {
    const name = busAccountName(subjectPrefix);
    await mkdir(join(options.dir, name), { recursive: true, mode: 0o700 });
    await writeFile(join(options.dir, name, PREFIX_FILE), `${subjectPrefix}\n`);
    const users = {} as Record<BusService, string>;
    const created: BusService[] = [];
    const rotated: BusService[] = [];
    for (const service of BUS_SERVICES) {
      const file = busCredentialFile(options.dir, subjectPrefix, service);
      let seed = rotating.has(subjectPrefix) ? undefined : await readSeed(file);
      if (!seed) {
        seed = nkeys.createUser().getSeed();
        await writeFile(file, `${new TextDecoder().decode(seed)}\n`, { mode: 0o600 });
        await chmod(file, 0o600);
        (rotating.has(subjectPrefix) ? rotated : created).push(service);
      }
      users[service] = nkeys.fromSeed(seed).getPublicKey();
    }
    accounts.push({ name, subjectPrefix, users });
    result.accounts.push({ name, subjectPrefix, created, rotated });
  }
  const place = {
    listen: options.listen ?? DEFAULT_SERVER_PLACE.listen,
    storeDir: options.storeDir === false ? undefined : resolve(options.storeDir ?? join(options.dir, 'jetstream')),
  };
  await writeFile(result.configFile, renderServerConfig(accounts, options.tls, place, options.cluster), { mode: 0o644 });
  return result;
}

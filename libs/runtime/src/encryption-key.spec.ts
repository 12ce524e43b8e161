import { loadConfig } from '@tessera/config';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptionKeyOrigin } from './encryption-key.js';

describe("the banner's encryption key line", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-key-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('names TESSERA_ENCRYPTION_KEY when it is set, and writes no file', async () => {
    const config = loadConfig({ TESSERA_DATA_DIR: dataDir, TESSERA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(await encryptionKeyOrigin(config)).toBe('encryption key: TESSERA_ENCRYPTION_KEY (from the environment)');
    await expect(readFile(join(dataDir, 'encryption.key'))).rejects.toThrow();
  });

  it('says a key was generated, and where, on a first start without it', async () => {
    const line = await encryptionKeyOrigin(loadConfig({ TESSERA_DATA_DIR: dataDir }));
    expect(line).toMatch(new RegExp(`^encryption key: generated now into ${join(dataDir, 'encryption.key')} \\(TESSERA_ENCRYPTION_KEY is not set\\)`));
    expect((await readFile(join(dataDir, 'encryption.key'), 'utf8')).trim()).toHaveLength(44);
  });

  it('says explicitly that a key file left by an earlier (embedded) start is being used', async () => {
    await writeFile(join(dataDir, 'encryption.key'), randomBytes(32).toString('base64'));
    const distributed = loadConfig({ TESSERA_DATA_DIR: dataDir, DATABASE_URL: 'postgres://x@127.0.0.1/x', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(await encryptionKeyOrigin(distributed)).toBe(
      `encryption key: read from ${join(dataDir, 'encryption.key')}, a file left by an earlier start without TESSERA_ENCRYPTION_KEY (embedded mode writes one); set TESSERA_ENCRYPTION_KEY in production`,
    );
  });
});

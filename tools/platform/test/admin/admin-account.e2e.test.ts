import { loadConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { eventually } from '@tessera/testing';
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../../src/platform.js';
import { resetAdminPassword, ResetRefused } from '../../src/reset-admin-password.js';
import { adminToken, login as loginAs } from '../support/sign-in.js';
import { ADMIN_PASSWORD, json, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** The admin's password can be changed and reset, tokens revoked; embedded data is private. */
const api = (url: string, token: string, path: string, body?: unknown) =>
  fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const login = (url: string, password: string) => loginAs(url, 'admin', password);
const tokenFor = (url: string, password: string) => adminToken(url, 'admin', password);

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('the admin password and sessions (distributed)', () => {
  let t: TestPlatform;
  // Each step here runs one or two argon2id hashes: on a loaded CI machine that alone can pass the tests' 2 s bus timeout.
  beforeAll(async () => {
    t = await startTestPlatform({ env: { TESSERA_BUS_TIMEOUT_MS: '15000' } });
  });
  afterAll(() => t?.stop());

  it('POST /admin/logout revokes the presented token at once; other sessions keep working', async () => {
    const [first, second] = [await t.adminToken(), await t.adminToken()];
    expect((await api(t.url, first, '/admin/logout', {})).status).toBe(204);
    expect((await api(t.url, first, '/admin/integrations')).status).toBe(401);
    expect((await api(t.url, second, '/admin/integrations')).status).toBe(200);
  });

  it('POST /admin/password: wrong current password or a weak new one is a 400 naming the field', async () => {
    const token = await t.adminToken();
    const wrong = await api(t.url, token, '/admin/password', { currentPassword: 'not the password', newPassword: 'a brand new password' });
    expect(wrong.status).toBe(400);
    expect(await json(wrong)).toMatchObject({ fields: { currentPassword: expect.any(Array) } });
    const short = await api(t.url, token, '/admin/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(await json(short)).toMatchObject({ fields: { newPassword: [expect.stringMatching(/at least 12/)] } });
    expect((await api(t.url, token, '/admin/password', { currentPassword: ADMIN_PASSWORD })).status).toBe(400);
  });

  it('changing the password ends every admin session, refuses the old password and signs in with the new one at once', async () => {
    const [token, other] = [await t.adminToken(), await t.adminToken()];
    const newPassword = 'a brand new password 42';
    expect((await api(t.url, token, '/admin/password', { currentPassword: ADMIN_PASSWORD, newPassword })).status).toBe(204);
    await eventually(async () => (await api(t.url, other, '/admin/integrations')).status === 401);
    expect((await api(t.url, token, '/admin/integrations')).status).toBe(401);
    expect((await login(t.url, ADMIN_PASSWORD)).status).toBe(401);
    // Signed in within the same second as the change: still a working session.
    const fresh = await tokenFor(t.url, newPassword);
    expect((await api(t.url, fresh, '/admin/integrations')).status).toBe(200);

    // The reset command, against the same database, while the platform runs.
    const reset = await resetAdminPassword(t.config, 'reset by the cli 0123');
    expect(reset).toBe('reset by the cli 0123');
    await eventually(async () => (await api(t.url, fresh, '/admin/integrations')).status === 401);
    expect((await login(t.url, newPassword)).status).toBe(401);
    expect((await api(t.url, await tokenFor(t.url, 'reset by the cli 0123'), '/admin/integrations')).status).toBe(200);
    await expect(resetAdminPassword(t.config, 'too short')).rejects.toBeInstanceOf(ResetRefused);
  });
});

describe('embedded: reset, TESSERA_ADMIN_PASSWORD on later starts, and a private data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-admin-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  async function modes(root: string): Promise<Set<string>> {
    const found = new Set<string>();
    const walk = async (path: string) => {
      const info = await stat(path);
      found.add(`${info.isDirectory() ? 'dir' : 'file'} ${(info.mode & 0o777).toString(8)}`);
      if (info.isDirectory()) for (const entry of await readdir(path)) await walk(join(path, entry));
    };
    await walk(root);
    return found;
  }

  it(
    'resets the password of a stopped embedded platform, says TESSERA_ADMIN_PASSWORD is ignored, and keeps pgdata 0700/0600 (warning when it was open)',
    { timeout: 180_000 },
    async () => {
      const config = loadConfig({ TESSERA_DATA_DIR: dataDir, PORT: '0', TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'info' });
      const first = await startPlatform(config, { logger: capturingLogger().logger, host: '127.0.0.1' });
      await tokenFor(first.url!, ADMIN_PASSWORD);
      await first.stop();
      expect(await modes(join(dataDir, 'pgdata'))).toEqual(new Set(['dir 700', 'file 600']));

      await resetAdminPassword(config, 'embedded reset 0123');
      // Someone loosened the modes while it was stopped: the next start says so and closes them again.
      const loosen = async (path: string): Promise<void> => {
        const info = await stat(path);
        await chmod(path, info.isDirectory() ? 0o777 : 0o666);
        if (info.isDirectory()) for (const entry of await readdir(path)) await loosen(join(path, entry));
      };
      await loosen(dataDir);
      const { lines, logger } = capturingLogger();
      const second = await startPlatform(config, { logger, host: '127.0.0.1' });
      try {
        expect(lines.join('')).toMatch(/open to other users/);
        expect(lines.join('')).toMatch(/TESSERA_ADMIN_PASSWORD is ignored/);
        expect(lines.join('')).not.toContain(ADMIN_PASSWORD);
        expect((await login(second.url!, ADMIN_PASSWORD)).status).toBe(401);
        await tokenFor(second.url!, 'embedded reset 0123');
        expect(await modes(join(dataDir, 'pgdata'))).toEqual(new Set(['dir 700', 'file 600']));
        expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
        expect((await stat(join(dataDir, 'encryption.key'))).mode & 0o777).toBe(0o600);
      } finally {
        await second.stop();
      }
    },
  );
});

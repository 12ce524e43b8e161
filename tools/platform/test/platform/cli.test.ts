import type { PlatformInstancePage, PlatformInstanceView } from '@tessera/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, CLI, ERROR_LOG_LINE, freePort, killIfRunning, runNode, stopWithCtrlC, waitUntilReady, type TesseraProcess } from '../support/processes.js';
import { adminFetch, ADMIN_PASSWORD as TESSERA_ADMIN_PASSWORD, login } from '../support/sign-in.js';
import { basic } from '../support/test-platform.js';

const READY_WITHIN_MS = 20_000;

/** Ctrl-C; resolves with how the process ended. A clean stop logs no error or fatal line on the way out. */
async function stopCleanly(cli: TesseraProcess) {
  const ended = await stopWithCtrlC(cli);
  expect(cli.output()).not.toMatch(ERROR_LOG_LINE);
  return ended;
}

describe('`npm start` (the platform CLI)', () => {
  const running: (TesseraProcess | undefined)[] = [];
  beforeAll(() => buildDist());
  afterAll(() => killIfRunning(running));

  describe('embedded mode: nothing but Node', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-embedded-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('becomes ready, stops on Ctrl-C with exit code 0, and keeps its data across a restart', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = { PORT: String(port), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', TESSERA_ADMIN_PASSWORD };

      const first = runNode(CLI, env);
      running.push(first);
      await waitUntilReady(url, first, READY_WITHIN_MS);
      expect(first.output()).toContain('mode: embedded');
      expect(first.output()).toContain(`listening on http://localhost:${port}`);
      const created = await adminFetch(`${url}/admin/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'embedded-acme', baseUrl: 'https://acme.example.com' }),
      });
      expect(created.status).toBe(201);
      const instance = (await created.json()) as PlatformInstanceView;
      // A token on the embedded database; its refresh token must survive the restart.
      const integration = (await (
        await adminFetch(`${url}/admin/integrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'embedded-client', permissions: ['*:orgs=read'] }),
        })
      ).json()) as { applicationId: string; appSecret: string };
      const token = (params: Record<string, string>) =>
        fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(integration.applicationId, integration.appSecret) },
          body: new URLSearchParams(params).toString(),
        });
      const issued = await token({ grant_type: 'client_credentials' });
      expect(issued.status).toBe(200);
      const { refresh_token: refreshToken } = (await issued.json()) as { refresh_token: string };
      expect(await stopCleanly(first)).toEqual({ code: 0, signal: null });

      const second = runNode(CLI, env);
      running.push(second);
      await waitUntilReady(url, second, READY_WITHIN_MS);
      const again = await adminFetch(`${url}/admin/instances/${instance.id}`);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(instance);
      expect(((await (await adminFetch(`${url}/admin/instances`)).json()) as PlatformInstancePage).total).toBe(1);
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
      expect(refreshed.status, await refreshed.clone().text()).toBe(200);
      expect(await stopCleanly(second)).toEqual({ code: 0, signal: null });
    });
  });

  // One first start serves both: the banner's order needs info-level logs, which the password must not be in either.
  describe('first start without TESSERA_ADMIN_PASSWORD', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tessera-first-start-'));
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('prints a banner before the JSON logs (URL, console, mode, the generated password once), the password signs in, and a restart prints none', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = { PORT: String(port), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
      const first = runNode(CLI, env);
      running.push(first);
      await waitUntilReady(url, first, READY_WITHIN_MS);
      const output = first.output();
      const password = /password: (\S+)/.exec(output)?.[1];
      expect(password).toBeTruthy();
      expect(output.split(password!)).toHaveLength(2);
      expect(output).not.toMatch(new RegExp(`"level".*${password}`));
      const firstLog = output.indexOf('{"level"');
      expect(firstLog).toBeGreaterThan(0);
      for (const line of [`listening on http://localhost:${port}`, `console: http://localhost:${port}/console/`, 'mode: embedded', `password: ${password}`]) {
        expect(output.indexOf(line), line).toBeGreaterThanOrEqual(0);
        expect(output.indexOf(line), line).toBeLessThan(firstLog);
      }
      expect((await login(url, 'admin', password!)).status).toBe(200);
      expect(await stopCleanly(first)).toEqual({ code: 0, signal: null });

      const second = runNode(CLI, env);
      running.push(second);
      await waitUntilReady(url, second, READY_WITHIN_MS);
      expect(second.output()).not.toContain('password:');
      expect(await stopCleanly(second)).toEqual({ code: 0, signal: null });
    });
  });
});

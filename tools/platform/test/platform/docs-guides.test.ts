import { FakeOAuthProvider } from '@tessera/testing';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes.js';
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

/** A platform that has answered one sign-in: the first one, on a loaded machine, can outlast the bus timeout (503). */
async function ready(platform: TestPlatform): Promise<TestPlatform> {
  for (let attempt = 0; ; attempt++) {
    try {
      await platform.adminToken();
      return platform;
    } catch (error) {
      if (attempt >= 10) throw error;
    }
  }
}

/**
 * The requests of the README and the task guides, run as written against started platforms: every ```bash block of a
 * file, in order, in one bash session with `set -euo pipefail` (curl -f fails on any answer but 2xx). Blocks that
 * start or install things (`npm start`, `nats-server`, `createdb`) are fenced ```sh and not run. The guides' own
 * defaults (`T=${T:-…}`, `TOKEN_URL=${TOKEN_URL:-…}`) are overridden through the environment, as a reader would.
 */
const run = promisify(execFile);

function bashBlocks(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const blocks = [...text.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  // A block that installs or starts something belongs in ```sh: running it here would replace node_modules or a server.
  for (const block of blocks)
    if (/\b(npm|npx|nats-server|createdb|docker)\s/.test(block)) throw new Error(`${file}: fence this block as sh, not bash:\n${block}`);
  return blocks;
}

async function runGuide(file: string, env: Record<string, string>) {
  const blocks = bashBlocks(file);
  expect(blocks.length, `${file} has requests to run`).toBeGreaterThan(0);
  const script = ['set -euo pipefail', 'trap \'echo "failed: $BASH_COMMAND" >&2\' ERR', ...blocks].join('\n');
  try {
    return await run('bash', ['--norc', '--noprofile', '-c', script], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    throw new Error(`${file}: a request failed (exit ${failed.code})\nstdout:\n${failed.stdout}\nstderr:\n${failed.stderr}`);
  }
}

describe('the guides, run as written', () => {
  let platform: TestPlatform;
  let provider: FakeOAuthProvider;
  beforeAll(async () => {
    provider = await new FakeOAuthProvider().start();
    platform = await ready(await startTestPlatform());
  });
  afterAll(async () => {
    await platform?.stop();
    await provider?.stop();
  });

  it('README: sign in, create an integration, get it a token', async () => {
    const { stdout } = await runGuide('README.md', { T: platform.url, ADMIN_PASSWORD });
    expect(stdout).toContain('"token_type": "Bearer"');
  });

  it('docs/outbound-proxy.md: a provider, a token, a caller, and calls through the proxy with bodies', async () => {
    const before = provider.apiCalls.length;
    await runGuide('docs/outbound-proxy.md', { T: platform.url, ADMIN_PASSWORD, TOKEN_URL: `${provider.url}/token`, API: `${provider.url}/api/v1` });
    const calls = provider.apiCalls.slice(before);
    expect(calls.map((call) => call.path)).toEqual(['/api/v1/contacts?limit=10', '/api/v1/contacts']);
    expect(calls[1].body).toBe('{"name": "Ada"}');
    expect(calls.every((call) => call.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('docs/operate.md: the quick look', async () => {
    const { stdout } = await runGuide('docs/operate.md', { T: platform.url });
    expect(stdout).toContain('"ok"');
  });
});

describe('docs/p2pi.md, between two platforms', () => {
  let one: TestPlatform;
  let two: TestPlatform;
  beforeAll(async () => {
    [one, two] = await Promise.all([startTestPlatform().then(ready), startTestPlatform().then(ready)]);
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });

  it('runs every request up to the consent, which gives an authorization URL on Instance 2', async () => {
    const { stdout } = await runGuide('docs/p2pi.md', { T1: one.url, T2: two.url, ADMIN1: ADMIN_PASSWORD, ADMIN2: ADMIN_PASSWORD });
    expect(stdout).toContain(`${two.url}/oauth/authorize?`);
  });
});

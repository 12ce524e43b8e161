import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busCredentialFor, busCredentialFile } from './bus-security.js';
import { ConfigError, loadConfig } from './config.js';

const distributed = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', NATS_URL: 'nats://127.0.0.1:4222' };
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
};

describe('bus security settings', () => {
  it('an open bus is allowed unless TESSERA_REQUIRE_SECURE_BUS=true, which only distributed mode needs', () => {
    expect(loadConfig(distributed).busSecurity).toMatchObject({ requireSecure: false });
    expect(problems({ ...distributed, TESSERA_REQUIRE_SECURE_BUS: 'true' }).join()).toMatch(/no bus credential is set/);
    expect(problems({ TESSERA_REQUIRE_SECURE_BUS: 'true' })).toEqual([]);
    expect(problems({ ...distributed, TESSERA_REQUIRE_SECURE_BUS: 'yes' }).join()).toMatch(/must be true or false/);
  });

  it('checks TLS files go together and exist, and names the credential file without quoting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'pem');
    const secret = join(dir, 'secret.nk');
    writeFileSync(secret, 'hunter2-hunter2');
    const found = problems({ ...distributed, NATS_TLS_CERT: ca, NATS_CREDS: secret }).join('\n');
    expect(found).toMatch(/NATS_TLS_CERT and NATS_TLS_KEY go together/);
    expect(found).toMatch(/need NATS_TLS_CA/);
    expect(found).toMatch(/secret\.nk holds neither an nkey user seed nor NATS user credentials/);
    expect(found).not.toContain('hunter2');
    expect(loadConfig({ ...distributed, NATS_TLS_CA: ca }).busSecurity.tls).toEqual({ caFile: ca });
  });

  it("picks a service's own file in the launcher's directory, unless the process was given NATS_CREDS", () => {
    expect(busCredentialFor({ credentialsDir: '/c', requireSecure: false }, 'p', 'gateway')).toBe(busCredentialFile('/c', 'p', 'gateway'));
    expect(busCredentialFile('/c', 'p', 'gateway')).toBe('/c/platform-p/gateway.nk');
    expect(busCredentialFile('/c', '', 'gateway')).toBe('/c/platform/gateway.nk');
    expect(busCredentialFor({ credentialsFile: '/own.nk', credentialsDir: '/c', requireSecure: false }, 'p', 'gateway')).toBe('/own.nk');
  });

  it('a credentials directory made with --prefix, started without TESSERA_SUBJECT_PREFIX: the error names the variable and its value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-creds-'));
    mkdirSync(join(dir, 'platform-P'));
    writeFileSync(join(dir, 'platform-P', 'subject-prefix'), 'P\n');
    expect(problems({ ...distributed, TESSERA_NATS_CREDENTIALS: dir })).toEqual([
      `TESSERA_NATS_CREDENTIALS: ${join(dir, 'platform')} does not exist (TESSERA_SUBJECT_PREFIX is not set); it holds credentials for TESSERA_SUBJECT_PREFIX=P: set TESSERA_SUBJECT_PREFIX=P, or add this platform with \`npm run nats:config -- ${dir}\``,
    ]);
    expect(problems({ ...distributed, TESSERA_NATS_CREDENTIALS: dir, TESSERA_SUBJECT_PREFIX: 'P' })).toEqual([]);
  });
});

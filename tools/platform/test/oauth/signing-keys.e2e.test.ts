import { systemClock, type Clock } from '@tessera/observability';
import { createTestDatabase, deleteEventStream, testConfig, testLogger, type TestDatabase } from '@tessera/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform } from '../../src/platform.js';
import { freePort } from '../support/test-platform.js';

const DAY = 86_400_000;

describe('signing key rotation', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('rotates the key after 30 days and publishes the old key until its last token has expired', async () => {
    db = await createTestDatabase();
    let offset = 0;
    const clock: Clock = { now: () => new Date(Date.now() + offset), uuid: systemClock.uuid };
    const port = await freePort();
    const config = testConfig(db, { PORT: String(port), TESSERA_ISSUER: `http://127.0.0.1:${port}` });
    const kids = async () => {
      const platform = await startPlatform(config, {
        logger: testLogger(),
        clock,
        services: ['auth-server', 'gateway', 'integrations-registry'],
        host: '127.0.0.1',
      });
      try {
        const jwks = (await (await fetch(`${platform.url}/oauth/jwks`)).json()) as { keys: { kid: string }[] };
        return jwks.keys.map((k) => k.kid);
      } finally {
        await platform.stop();
      }
    };
    const [first] = await kids();
    offset = 31 * DAY;
    const afterRotation = await kids();
    expect(afterRotation).toHaveLength(2);
    expect(afterRotation[1]).toBe(first);
    offset = 33 * DAY;
    const later = await kids();
    expect(later).toEqual([afterRotation[0]]);
    const rows = await db.query<{ private_jwk_sealed: string }>(`SELECT private_jwk_sealed FROM auth.signing_key`);
    expect(rows.every((r) => r.private_jwk_sealed.startsWith('v1.') && !r.private_jwk_sealed.includes('"d"'))).toBe(true);
    await deleteEventStream(config);
  });
});

import { loadConfig, type TesseraConfig } from '@tessera/config';
import { EventWatcher, type TestDatabase } from '@tessera/testing';
import pg from 'pg';
import { inject } from 'vitest';
import { brokerHelpers, type BrokerHelpers } from './broker-helpers.js';
import { TEST_BROKER_OPTIONS } from './broker-options.js';
import type { SharedPlatformAddress } from './shared-platform.global.js';
import { adminToken } from './sign-in.js';

export { ADMIN_PASSWORD } from './sign-in.js';
export { basic, form, freePort, json } from './http-helpers.js';

/**
 * The run's shared platform as one test file sees it: TestPlatform without the in-process handle (the platform runs
 * in the Vitest process), with the broker tests' helpers. `stop()` closes this file's connections only.
 */
export interface SharedPlatform extends BrokerHelpers {
  url: string;
  config: TesseraConfig;
  db: Pick<TestDatabase, 'name' | 'url' | 'query'>;
  events: EventWatcher;
  /** A fresh admin access token (POST /admin/login). */
  adminToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The platform every test file that calls this shares (started once per run by shared-platform.global.ts): for a file
 * that needs a plain platform and neither kills, restarts or reconfigures it, nor needs it empty. Its events are the
 * ones published after the call; other files' data is there too, so a test names what it creates uniquely and looks
 * for its own rows, never at counts of everything.
 */
export async function sharedPlatform(): Promise<SharedPlatform> {
  const control = inject('sharedPlatformControl');
  // TEST_OWN_PLATFORM=1: every file on a platform of its own again, to tell a shared-state problem from a real one.
  if (!control || process.env.TEST_OWN_PLATFORM === '1') return ownPlatform();
  const answer = await fetch(control, { method: 'POST' });
  if (!answer.ok) throw new Error(`the shared platform did not start: ${await answer.text()}`);
  return attach((await answer.json()) as SharedPlatformAddress);
}

/** Outside the platform project (no global setup) or asked to: a platform of the file's own, as before. */
async function ownPlatform(): Promise<SharedPlatform> {
  const { startTestPlatform } = await import('./test-platform.js');
  const own = await startTestPlatform({ broker: TEST_BROKER_OPTIONS });
  const attached = await attach({ url: own.url, environment: own.environment, databaseName: own.db.name });
  return { ...attached, stop: () => attached.stop().then(() => own.stop()) };
}

async function attach({ url, environment, databaseName }: SharedPlatformAddress): Promise<SharedPlatform> {
  const config = loadConfig(environment);
  const pool = new pg.Pool({ connectionString: environment.DATABASE_URL, max: 2 });
  const events = await EventWatcher.start(config);
  return {
    url,
    config,
    db: { name: databaseName, url: environment.DATABASE_URL, query: async (sql, params) => (await pool.query(sql, params)).rows },
    events,
    adminToken: () => adminToken(url),
    ...brokerHelpers(url, Buffer.from(environment.TESSERA_ENCRYPTION_KEY, 'base64')),
    stop: async () => {
      await events.stop();
      await pool.end();
    },
  };
}

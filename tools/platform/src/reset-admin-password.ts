import { adminPasswordProblem, Events, type TokenRevokedEvent } from '@tessera/contracts';
import type { TesseraConfig } from '@tessera/config';
import { randomToken } from '@tessera/crypto';
import { startEmbeddedPostgres } from '@tessera/persistence';
import { argon2id, hash } from 'argon2';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const USERNAME = 'admin';
/** Admin tokens' client id (auth-server's ADMIN_CLIENT_ID): a client-wide revocation ends every admin session. */
const ADMIN_CLIENT_ID = 'tessera-admin';
/** Longer than any access token lives (auth-server's MAX_ACCESS_TOKEN_TTL_MS), so verifiers keep the entry long enough. */
const REVOCATION_HORIZON_MS = 86_400_000;

export class ResetRefused extends Error {}

/**
 * `tessera reset-admin-password`: for the admin who lost the password. Writes the new argon2id hash straight into
 * auth-server's table and revokes every admin session, through the outbox (auth-server relays the event to every
 * verifier when it runs). Works on both deployments: distributed against DATABASE_URL (services may keep running),
 * embedded against TESSERA_DATA_DIR (stop the platform first: PGlite is one process's database).
 * Returns the password (the given one, or a generated one the caller prints once).
 */
export async function resetAdminPassword(config: TesseraConfig, given?: string): Promise<string> {
  const password = given ?? randomToken(18);
  const problem = adminPasswordProblem(USERNAME, password);
  if (problem) throw new ResetRefused(problem);
  const passwordHash = await hash(password, { type: argon2id });
  const embedded = config.mode === 'embedded' ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const client = new pg.Client({ connectionString: embedded?.url ?? config.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const now = new Date();
    const updated = await client.query(`UPDATE "auth"."admin_user" SET "password_hash" = $2 WHERE "username" = $1`, [USERNAME, passwordHash]).catch((error: { code?: string }) => {
      if (error.code === '42P01') throw new ResetRefused('there is no Tessera database here yet: start the platform once first');
      throw error;
    });
    if (!updated.rowCount) throw new ResetRefused('there is no admin account yet: start the platform once first (it creates it)');
    await client.query(
      `INSERT INTO "auth"."client_revocation" ("client_id", "revoked_at") VALUES ($1, $2) ON CONFLICT ("client_id") DO UPDATE SET "revoked_at" = EXCLUDED."revoked_at"`,
      [ADMIN_CLIENT_ID, now],
    );
    const event: TokenRevokedEvent = { clientId: ADMIN_CLIENT_ID, reason: 'password_changed', revokedAt: now.toISOString(), expiresAt: new Date(now.getTime() + REVOCATION_HORIZON_MS).toISOString() };
    await client.query(`INSERT INTO "auth"."outbox_event" ("id", "type", "data", "headers", "occurred_at", "published_at") VALUES ($1, $2, $3, '{}', $4, NULL)`, [randomUUID(), Events.tokenRevoked, event, now]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
    await embedded?.stop();
  }
  return password;
}

/** The CLI's side: the password from stdin (`--password-stdin`) or generated, printed once to the console. */
export async function resetAdminPasswordCommand(config: TesseraConfig, args: string[]): Promise<number> {
  let given: string | undefined;
  if (args.includes('--password-stdin')) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    given = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  try {
    const password = await resetAdminPassword(config, given);
    process.stdout.write(given ? 'The admin password was reset; every admin session was revoked.\n' : `The admin password was reset; every admin session was revoked.\n  username: ${USERNAME}\n  password: ${password}\n  (shown once)\n`);
    return 0;
  } catch (error) {
    if (error instanceof ResetRefused) {
      process.stderr.write(`reset-admin-password: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

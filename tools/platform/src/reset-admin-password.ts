import { adminPasswordProblem, AUDIT_RECORDED, Events, type AuditRecordedEvent, type TokenRevokedEvent } from '@tessera/contracts';
import type { TesseraConfig } from '@tessera/config';
import { randomToken } from '@tessera/crypto';
import { startEmbeddedPostgres } from '@tessera/persistence';
import { argon2id, hash } from 'argon2';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const DEFAULT_USERNAME = 'admin';
/** Admin tokens' client id (auth-server's ADMIN_CLIENT_ID); each session's tokens carry the session id as `fid`. */
const ADMIN_CLIENT_ID = 'tessera-admin';
/** Longer than any access token lives (auth-server's MAX_ACCESS_TOKEN_TTL_MS), so verifiers keep the entry long enough. */
const REVOCATION_HORIZON_MS = 86_400_000;

export class ResetRefused extends Error {}

/**
 * `tessera reset-admin-password [--user <name>]`: for the administrator who lost the password (default: the bootstrap
 * `admin`, the first owner). Writes the new argon2id hash straight into auth-server's table and ends that user's
 * sessions, through the outbox (auth-server relays the revocations to every verifier when it runs), with an audit
 * line that says the command did it. Works on both deployments: distributed against DATABASE_URL (services may keep running),
 * embedded against TESSERA_DATA_DIR (stop the platform first: PGlite is one process's database).
 * Returns the password (the given one, or a generated one the caller prints once).
 */
export async function resetAdminPassword(config: TesseraConfig, given?: string, username = DEFAULT_USERNAME): Promise<string> {
  const password = given ?? randomToken(18);
  const problem = adminPasswordProblem(username, password);
  if (problem) throw new ResetRefused(problem);
  const passwordHash = await hash(password, { type: argon2id });
  const embedded = config.mode === 'embedded' ? await startEmbeddedPostgres(config.dataDir) : undefined;
  const client = new pg.Client({ connectionString: embedded?.url ?? config.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const now = new Date();
    const updated = await client
      .query<{ id: string }>(
        `UPDATE "auth"."admin_user" SET "password_hash" = $2, "must_change_password" = false, "updated_at" = $3 WHERE "username" = $1 RETURNING "id"`,
        [username, passwordHash, now],
      )
      .catch((error: { code?: string }) => {
        if (error.code === '42P01') throw new ResetRefused('there is no Tessera database here yet: start the platform once first');
        throw error;
      });
    if (!updated.rowCount) {
      throw new ResetRefused(
        username === DEFAULT_USERNAME
          ? 'there is no admin account yet: start the platform once first (it creates it)'
          : `there is no administrator named ${username}`,
      );
    }
    const userId = updated.rows[0].id;
    const sessions = await client.query<{ id: string }>(
      `UPDATE "auth"."admin_session" SET "ended_at" = $2, "ended_reason" = 'password_reset' WHERE "user_id" = $1 AND "ended_at" IS NULL RETURNING "id"`,
      [userId, now],
    );
    const expiresAt = new Date(now.getTime() + REVOCATION_HORIZON_MS).toISOString();
    const outbox = (type: string, data: object) =>
      client.query(`INSERT INTO "auth"."outbox_event" ("id", "type", "data", "headers", "occurred_at", "published_at") VALUES ($1, $2, $3, '{}', $4, NULL)`, [
        randomUUID(),
        type,
        data,
        now,
      ]);
    for (const { id } of sessions.rows) {
      await outbox(Events.tokenRevoked, {
        familyId: id,
        clientId: ADMIN_CLIENT_ID,
        reason: 'password_reset',
        revokedAt: now.toISOString(),
        expiresAt,
      } satisfies TokenRevokedEvent);
    }
    await outbox(AUDIT_RECORDED['auth-server'], {
      action: 'admin_user.password_reset',
      outcome: 'success',
      target: { type: 'admin_user', id: userId, name: username },
      actor: null,
      address: null,
      requestId: null,
      clientRequestId: null,
      changes: { password: { after: '[changed]' } },
      detail: { by: 'npm run reset-admin-password', sessionsEnded: sessions.rowCount ?? 0 },
    } satisfies AuditRecordedEvent);
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
  const userFlag = args.indexOf('--user');
  const username = userFlag >= 0 ? args[userFlag + 1] : DEFAULT_USERNAME;
  if (!username || username.startsWith('--')) {
    process.stderr.write('reset-admin-password: --user needs a username\n');
    return 2;
  }
  if (args.includes('--password-stdin')) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    given = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  try {
    const password = await resetAdminPassword(config, given, username);
    const done = `The password of ${username} was reset; that administrator's sessions were revoked.\n`;
    process.stdout.write(given ? done : `${done}  username: ${username}\n  password: ${password}\n  (shown once)\n`);
    return 0;
  } catch (error) {
    if (error instanceof ResetRefused) {
      process.stderr.write(`reset-admin-password: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

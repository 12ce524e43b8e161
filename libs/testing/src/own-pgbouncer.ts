import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asPostgres, freeTcpPort, postgresIds } from './own-servers.js';

/** Debian's PgBouncer (1.18 on Debian 12), unless TEST_PGBOUNCER names another. */
export const PGBOUNCER = process.env.TEST_PGBOUNCER ?? '/usr/sbin/pgbouncer';

export interface OwnPgBouncer {
  port: number;
  /** The same database URL, through the pooler. */
  through(databaseUrl: string): string;
  stop(): Promise<void>;
}

export function pgBouncerInstalled(): boolean {
  return existsSync(PGBOUNCER);
}

/**
 * A PgBouncer of one's own in transaction mode (`pool_mode = transaction`: a server session is a client's only for a
 * transaction, no session state lasts between statements) on a free port, in front of the PostgreSQL at
 * `host:port` (trust authentication, as the test servers run). It refuses to run as root: run as `postgres`.
 */
export async function startOwnPgBouncer(target: { host: string; port: number }, poolMode: 'transaction' | 'session' = 'transaction'): Promise<OwnPgBouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pgbouncer-'));
  const port = await freeTcpPort();
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.host} port=${target.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${poolMode}`,
      'max_client_conn = 500',
      'default_pool_size = 20',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0) {
    const [uid, gid] = postgresIds();
    for (const file of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, file), uid, gid);
  }
  const [command, args] = asPostgres(PGBOUNCER, [join(dir, 'pgbouncer.ini')]);
  const child: ChildProcess = spawn(command, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let waited = 0; ; waited += 50) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (listening) break;
    if (child.exitCode !== null || waited > 10_000) throw new Error(`pgbouncer did not start on ${port} (see ${join(dir, 'pgbouncer.log')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    through(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // pgbouncer runs under runuser, which does not pass signals on: signal it by its own pid (SIGTERM: at once).
        const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8').trim());
        if (pid) process.kill(pid, 'SIGTERM');
        else child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

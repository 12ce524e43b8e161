import 'reflect-metadata';
import { ConfigError, loadConfig, type TesseraConfig } from '@tessera/config';
import { randomToken } from '@tessera/crypto';
import { createLogger } from '@tessera/observability';
import { onParentGone } from '@tessera/runtime';
import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeldOutput, startupBanner } from './banner.js';
import { childEnvironment } from './child-environment.js';
import { checkDependencies, StartupRefusal } from './dependencies.js';
import type { RunningPlatform } from './platform.js';
import { ALL_SERVICES } from './services.js';
import { DEFAULT_SUPERVISION, Supervisor } from './supervisor.js';
import { resetAdminPasswordCommand } from './reset-admin-password.js';
import { encryptionKeyOrigin } from '@tessera/runtime';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * What each child process is given: the launcher's environment with only its own bus credential, one issuer however
 * many gateways answer, and a metrics port of its own (METRICS_PORT + its index among the children; 0 stays 0).
 */
function envFor(config: TesseraConfig, service: string, index: number, adminPassword?: string): NodeJS.ProcessEnv {
  const port = config.metrics.port;
  return {
    ...childEnvironment(config, service),
    TESSERA_ISSUER: config.issuer,
    ...(port ? { METRICS_PORT: String(port + index) } : {}),
    // Only the auth server creates the admin account; every replica of it gets the same password, so whichever wins
    // the race creates the account the banner describes.
    ...(adminPassword && service === 'auth-server' ? { TESSERA_ADMIN_PASSWORD: adminPassword } : {}),
  };
}

/**
 * Distributed mode: TESSERA_REPLICAS processes of each service (one each by default), supervised: a crashed one
 * restarts with backoff while the others keep serving. Gateway replicas are cluster workers sharing PORT.
 */
async function startProcesses(config: TesseraConfig) {
  const dependencies = await checkDependencies(config, (line) => console.error(`[tessera] ${line}`));
  // The launcher chooses a first start's admin password (rather than the auth server, among its logs) to show it here.
  const generatedPassword = dependencies.adminMissing && !config.adminPassword ? randomToken(18) : undefined;
  const keyLine = await encryptionKeyOrigin(config);
  // Before the children start logging.
  console.log(startupBanner(config, `http://localhost:${config.port}`, generatedPassword, [...dependencies.lines, keyLine]));
  const names = ALL_SERVICES.flatMap((service) =>
    Array.from({ length: config.replicas[service] }, (_, i) => ({ service, name: config.replicas[service] > 1 ? `${service}#${i + 1}` : service })),
  );
  if (config.metrics.port)
    console.log(`metrics: ${names.map(({ name }, index) => `${name} on ${config.metrics.host}:${config.metrics.port! + index}`).join(', ')}\n`);
  const children = names.map(({ service, name }, index) => {
    const main = join(repoRoot, 'apps', service, 'dist', 'main.js');
    const env = envFor(config, service, index, generatedPassword);
    return {
      name,
      // The IPC channel is how a child learns that the launcher is gone, even killed with SIGKILL (a cluster worker has one).
      start: () =>
        service === 'gateway'
          ? forkGateway(main, env)
          : spawn(process.execPath, ['--enable-source-maps', main], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env }),
    };
  });
  const supervisor = new Supervisor(
    children,
    (line) => console.error(`[tessera] ${line}`),
    DEFAULT_SUPERVISION,
    (code) => {
      console.error('[tessera] every service is down for good; stopping');
      process.exit(code);
    },
  );
  supervisor.start();
  void reportReadiness(config);
  const stop = (signal: NodeJS.Signals) => void supervisor.stop(signal).then(() => process.exit(process.exitCode ?? 0));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // A launcher started by another program (a test, a process manager) with an IPC channel stops with it.
  onParentGone(() => stop('SIGTERM'));
}

/**
 * Once the services are started: whether every one of them answers (the gateway's readiness), in one line, and if not
 * within the wait, which are not — the banner came before the services could say.
 */
async function reportReadiness(config: TesseraConfig): Promise<void> {
  if (!config.port) return;
  const url = `http://127.0.0.1:${config.port}/health/ready`;
  const deadline = Date.now() + config.startupWaitMs + 30_000;
  let last = 'the gateway does not answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) {
        console.error(`[tessera] ready: every service answers (${url})`);
        return;
      }
      const body = (await response.json()) as { error?: Record<string, { message?: string }> };
      last = Object.entries(body.error ?? {})
        .map(([name, detail]) => `${name}: ${detail.message ?? 'down'}`)
        .join('; ');
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000).unref());
  }
  console.error(`[tessera] not ready after ${Math.round((config.startupWaitMs + 30_000) / 1000)} s: ${last} (${url})`);
}

/** A gateway as a cluster worker: several of them share one listening port, the launcher spreading connections. */
function forkGateway(main: string, env: NodeJS.ProcessEnv) {
  cluster.setupPrimary({ exec: main, execArgv: ['--enable-source-maps'] });
  // cluster.fork adds `env` to the launcher's own environment: name every variable the child must not get (such as
  // TESSERA_NATS_CREDENTIALS, the directory of every service's credential) as undefined, which spawn then leaves out.
  const withheld = Object.fromEntries(
    Object.keys(process.env)
      .filter((key) => !(key in env))
      .map((key) => [key, undefined]),
  );
  return cluster.fork({ ...withheld, ...env }).process;
}

async function main() {
  let config: TesseraConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (process.argv[2] === 'reset-admin-password') process.exit(await resetAdminPasswordCommand(config, process.argv.slice(3)));
  if (config.mode === 'distributed') {
    try {
      return await startProcesses(config);
    } catch (error) {
      if (!(error instanceof StartupRefusal)) throw error;
      console.error(error.message);
      process.exit(error.exitCode);
    }
  }

  const output = new HeldOutput(process.stdout);
  const logger = createLogger({ level: config.logLevel, destination: output });
  let adminPassword: string | undefined;
  let platform: RunningPlatform | undefined;
  // Loaded only here: distributed mode's launcher runs no service itself and starts faster without them.
  const { startPlatform } = await import('./platform.js');
  const keyLine = await encryptionKeyOrigin(config);
  try {
    platform = await startPlatform(config, {
      logger,
      showGeneratedAdminPassword: (password) => {
        adminPassword = password;
      },
    });
  } finally {
    // A start that failed shows its logs at once; one that worked shows the banner first.
    if (platform)
      console.log(startupBanner(config, config.port === 0 && platform.url ? platform.url : `http://localhost:${config.port}`, adminPassword, [keyLine]));
    if (platform?.metricsUrl) console.log(`metrics (every service of this process): ${platform.metricsUrl}\n`);
    output.release();
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await platform!.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  onParentGone(() => void shutdown());
}

await main();

import { ConfigError, loadConfig, type TesseraConfig } from '@tessera/config';
import { createLogger } from '@tessera/observability';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_SERVICES, startPlatform } from './platform.js';
import { resetAdminPasswordCommand } from './reset-admin-password.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function banner(config: TesseraConfig, url: string) {
  const lines = config.mode === 'embedded'
    ? ['mode: embedded (no DATABASE_URL/NATS_URL): PGlite in-process, data in ' + resolve(config.dataDir), 'all four services in this process on the in-process bus']
    : [`mode: distributed: four processes over ${config.natsUrl} and ${config.databaseUrl!.replace(/\/\/[^@/]*@/, '//***@')}`];
  console.log(['', `Tessera gateway listening on ${url}`, ...lines, 'Ctrl-C stops everything.', ''].join('\n'));
}

/** Distributed mode: each service in its own process, stopped together. */
async function startProcesses(config: TesseraConfig) {
  const children: ChildProcess[] = ALL_SERVICES.map((service) =>
    spawn(process.execPath, ['--enable-source-maps', join(repoRoot, 'apps', service, 'dist', 'main.js')], { stdio: 'inherit', env: process.env }));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill(signal);
  };
  for (const child of children) {
    child.on('exit', (code) => {
      if (!stopping && code !== 0) {
        console.error(`a service exited with code ${code}; stopping the platform`);
        stop('SIGTERM');
        process.exitCode = 1;
      }
    });
  }
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  banner(config, `http://localhost:${config.port}`);
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
  if (config.mode === 'distributed') return startProcesses(config);

  const logger = createLogger({ level: config.logLevel });
  const platform = await startPlatform(config, { logger });
  banner(config, `http://localhost:${config.port}`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

await main();

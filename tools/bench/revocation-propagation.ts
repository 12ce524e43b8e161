/**
 * Revocation propagation: how long after `POST /oauth/revoke` returns does a verifier in another process reject the
 * token? The verifier (child process) embeds libs/verifier's TokenVerifier, fed by `tessera.events.auth.token.revoked`
 * through libs/messaging's NatsBus.watch (prefix-aware), exactly as a resource server would.
 *
 *   npm run bench:revocation [-- --count 200]
 *
 * Per round: issue a token, have the child verify it (accepted, and so cached), revoke it over HTTP, and wait for
 * the child to report when its verifier first rejected it. Times are wall-clock epoch milliseconds with sub-ms
 * resolution (performance.timeOrigin + performance.now()), the same clock in both processes; a rejection that
 * happened before the revoke call returned counts as 0 ms.
 */
import 'reflect-metadata';
import { Events, type TokenRevokedEvent } from '@tessera/contracts';
import { NatsBus } from '@tessera/messaging';
import { createLogger } from '@tessera/observability';
import { TokenVerifier } from '@tessera/verifier';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBenchPlatform } from './bench-platform.js';
import { machineInfo, percentile } from './machine.js';

const TARGET_P99_MS = 100;
const epochMs = () => performance.timeOrigin + performance.now();

type ToChild = { watch: string } | { stop: true };
type FromChild = { ready: true } | { accepted: string } | { rejected: string; at: number } | { failed: string; message: string };

interface ChildSettings {
  natsUrl: string;
  subjectPrefix: string;
  issuer: string;
  jwksUri: string;
}

/** The resource server: verifies tokens and reports, per watched token, the first moment it rejects it. */
async function resourceServer(settings: ChildSettings): Promise<void> {
  const send = (message: FromChild) => process.send!(message);
  const verifier = new TokenVerifier({ issuer: settings.issuer, keys: { jwksUri: settings.jwksUri } });
  const watched = new Set<string>();
  const checkWatched = async () => {
    for (const token of [...watched]) {
      const rejected = await verifier.verify(token).then(
        () => false,
        () => true,
      );
      if (rejected && watched.delete(token)) send({ rejected: token, at: epochMs() });
    }
  };
  const bus = new NatsBus({
    servers: settings.natsUrl,
    subjectPrefix: settings.subjectPrefix,
    name: 'bench-resource-server',
    logger: createLogger({ level: 'warn' }),
  });
  await bus.connect();
  const feed = await bus.watch([Events.tokenRevoked], 60_000, async (event) => {
    verifier.revoked(event.data as TokenRevokedEvent);
    await checkWatched();
  });
  process.on('message', (message: ToChild) => {
    if ('stop' in message) {
      void feed
        .stop()
        .then(() => bus.close())
        .then(() => {
          verifier.close();
          process.exit(0);
        });
      return;
    }
    verifier.verify(message.watch).then(
      () => {
        watched.add(message.watch);
        send({ accepted: message.watch });
      },
      (error: Error) => send({ failed: message.watch, message: error.message }),
    );
  });
  send({ ready: true });
}

class ResourceServerProcess {
  private readonly waiters = new Map<string, (message: FromChild) => void>();
  private readonly rejectedAt = new Map<string, number>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromChild) => {
      if ('rejected' in message) this.rejectedAt.set(message.rejected, message.at);
      const token = 'accepted' in message ? message.accepted : 'rejected' in message ? message.rejected : 'failed' in message ? message.failed : undefined;
      if (token) this.waiters.get(`${'accepted' in message || 'failed' in message ? 'verify' : 'reject'}:${token}`)?.(message);
    });
  }

  static start(settings: ChildSettings): Promise<ResourceServerProcess> {
    return new Promise((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ['--resource-server', JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('error', reject);
      child.once('message', () => resolve(new ResourceServerProcess(child)));
    });
  }

  private wait(key: string, timeoutMs: number): Promise<FromChild> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer for ${key.split(':')[0]} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(key, (message) => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve(message);
      });
    });
  }

  async accept(token: string): Promise<void> {
    const answer = this.wait(`verify:${token}`, 5_000);
    this.child.send({ watch: token } satisfies ToChild);
    const message = await answer;
    if ('failed' in message) throw new Error(`the resource server did not accept a fresh token: ${message.message}`);
  }

  /** Resolves with the moment the child first rejected the token (perhaps already). */
  async rejection(token: string, timeoutMs: number): Promise<number> {
    const known = this.rejectedAt.get(token);
    if (known !== undefined) return known;
    const answer = this.wait(`reject:${token}`, timeoutMs);
    const again = this.rejectedAt.get(token);
    if (again !== undefined) {
      this.waiters.delete(`reject:${token}`);
      void answer.catch(() => undefined);
      return again;
    }
    const message = await answer;
    return (message as { at: number }).at;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ stop: true } satisfies ToChild);
    });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '200' } } });
  const count = Number(values.count);
  console.log(machineInfo());
  const platform = await startBenchPlatform();
  let resourceServer: ResourceServerProcess | undefined;
  try {
    resourceServer = await ResourceServerProcess.start({
      natsUrl: platform.config.natsUrl!,
      subjectPrefix: platform.config.subjectPrefix,
      issuer: platform.config.issuer,
      jwksUri: `${platform.url}/oauth/jwks`,
    });
    const oauth = (path: string, body: Record<string, string>) =>
      fetch(`${platform.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: platform.basicAuth },
        body: new URLSearchParams(body).toString(),
      });
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const issued = await oauth('/oauth/token', { grant_type: 'client_credentials' });
      const { access_token: token } = (await issued.json()) as { access_token: string };
      await resourceServer.accept(token);
      const revoked = await oauth('/oauth/revoke', { token, token_type_hint: 'access_token' });
      const returnedAt = epochMs();
      if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}`);
      const rejectedAt = await resourceServer.rejection(token, 5_000);
      latencies.push(Math.max(0, rejectedAt - returnedAt));
    }
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    console.log(
      `revocation → rejection in another process, ${count} tokens: p50 ${percentile(latencies, 50).toFixed(1)} ms · p90 ${percentile(latencies, 90).toFixed(1)} ms · p99 ${p99.toFixed(1)} ms · max ${latencies[latencies.length - 1].toFixed(1)} ms`,
    );
    console.log(
      `${latencies.filter((ms) => ms === 0).length} of ${count} were already rejected when the revoke call returned (the outbox publishes as the response goes out)`,
    );
    console.log(`target: ${p99 < TARGET_P99_MS ? 'meets' : 'MISSES'} p99 < ${TARGET_P99_MS} ms`);
  } finally {
    await resourceServer?.stop();
    await platform.stop();
  }
}

if (process.argv[2] === '--resource-server') await resourceServer(JSON.parse(process.argv[3]) as ChildSettings);
else await main().then(() => process.exit(0));

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, NATS_SERVER, type OwnNats } from './own-servers.js';

/** One node of a cluster of one's own: stopped and started on its own (a crash, a restart). */
export interface OwnNatsNode {
  name: string;
  port: number;
  monitorPort: number;
  clusterPort: number;
  url: string;
  isRunning(): boolean;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** A JetStream cluster on loopback: `url` names every node (NATS_URL), `port` and `monitorPort` the first. */
export interface OwnNatsCluster extends OwnNats {
  nodes: OwnNatsNode[];
  /** The directory `configure` wrote into (with `npm run nats:config`: every service's credential). */
  credentials: string;
  configFile: string;
}

/**
 * Three (or `size`) nats-servers clustered with JetStream, on free ports, all started from the one configuration file
 * `configure` writes (given the nodes' route URLs), as an operator runs it on every node: each node differs only by its
 * name (NATS_SERVER_NAME in its environment), its ports and its store directory, given on the command line.
 */
export async function startOwnNatsCluster(configure: (dir: string, routes: string[]) => Promise<string>, size = 3): Promise<OwnNatsCluster> {
  const credentials = await mkdtemp(join(tmpdir(), 'tessera-nats-cluster-'));
  const places = await Promise.all(
    Array.from({ length: size }, async (_, i) => ({
      name: `n${i + 1}`,
      port: await freeTcpPort(),
      monitorPort: await freeTcpPort(),
      clusterPort: await freeTcpPort(),
      store: mkdtempSync(join(tmpdir(), `tessera-nats-n${i + 1}-`)),
    })),
  );
  const configFile = await configure(
    credentials,
    places.map((p) => `nats-route://127.0.0.1:${p.clusterPort}`),
  );
  const nodes = places.map((place) => node(place, configFile));
  const cluster: OwnNatsCluster = {
    nodes,
    credentials,
    configFile,
    port: places[0].port,
    monitorPort: places[0].monitorPort,
    url: nodes.map((n) => n.url).join(','),
    start: async () => void (await Promise.all(nodes.map((n) => n.start()))),
    stop: async (signal) => void (await Promise.all(nodes.map((n) => n.stop(signal)))),
    destroy: async () => {
      await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
      for (const place of places) rmSync(place.store, { recursive: true, force: true });
      await rm(credentials, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
    await waitForMetaLeader(places[0].monitorPort);
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

function node(place: { name: string; port: number; monitorPort: number; clusterPort: number; store: string }, configFile: string): OwnNatsNode {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const running = () => Boolean(child && child.exitCode === null && child.signalCode === null);
  return {
    name: place.name,
    port: place.port,
    monitorPort: place.monitorPort,
    clusterPort: place.clusterPort,
    url: `nats://127.0.0.1:${place.port}`,
    isRunning: running,
    async start() {
      if (running()) return;
      const args = ['-c', configFile, '-a', '127.0.0.1', '-p', String(place.port), '-m', String(place.monitorPort), '-sd', place.store];
      args.push('-cluster', `nats://127.0.0.1:${place.clusterPort}`);
      child = spawn(NATS_SERVER, args, { stdio: 'ignore', env: { ...process.env, NATS_SERVER_NAME: place.name } });
      exited = new Promise((resolve) => child!.once('exit', () => resolve()));
      for (let waited = 0; ; waited += 50) {
        const ready = await fetch(`http://127.0.0.1:${place.monitorPort}/varz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return;
        if (!running() || waited > 15_000) throw new Error(`nats-server ${place.name} did not start on ${place.port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!running()) return;
      child!.kill(signal);
      await exited;
    },
  };
}

/** JetStream in a cluster answers only once its nodes have elected a meta leader. */
async function waitForMetaLeader(monitorPort: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const jsz = (await fetch(`http://127.0.0.1:${monitorPort}/jsz`)
      .then((r) => r.json())
      .catch(() => undefined)) as { meta_cluster?: { leader?: string } } | undefined;
    if (jsz?.meta_cluster?.leader) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the NATS cluster elected no JetStream meta leader in time');
}

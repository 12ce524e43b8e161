import { jetstreamManager } from '@nats-io/jetstream';
import { nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';
import { busCredentialFile } from '@tessera/config';
import { generateNatsConfig } from '@tessera/platform';
import { startOwnNatsCluster, type OwnNats, type OwnNatsCluster } from '@tessera/testing';
import { readFileSync } from 'node:fs';
import type { Drill } from './drills.js';
import type { DrillEnvironment } from './environment.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The drill that needs a cluster: `npm run drills -- nats-cluster` starts the platform on one. */
export const CLUSTER_DRILL = 'nats-cluster';

/**
 * Three clustered nats-servers of the drills' own (JetStream, loopback, free ports), started from the one file
 * `npm run nats:config -- --cluster` writes, as an operator runs it on every node: secured, each service with its key.
 */
export function startDrillCluster(): Promise<OwnNatsCluster> {
  return startOwnNatsCluster(
    async (dir, routes) =>
      (await generateNatsConfig({ dir, prefixes: [], storeDir: false, cluster: { name: 'tessera-drill', listen: '127.0.0.1:6222', routes } })).configFile,
  );
}

export function isCluster(nats: OwnNats): nats is OwnNatsCluster {
  return 'nodes' in nats;
}

/** What the platform's processes get to reach a cluster: every node, and the generated credentials. */
export function clusterEnvironment(nats: OwnNatsCluster): Record<string, string> {
  return { NATS_URL: nats.url, TESSERA_NATS_CREDENTIALS: nats.credentials, TESSERA_REQUIRE_SECURE_BUS: 'true' };
}

/**
 * The drills' own connection to a cluster: the gateway's key (it may read every event through a watch consumer, what
 * the event audit does) and its inbox prefix, the only one it may subscribe to.
 */
export function clusterConnectionOptions(nats: OwnNatsCluster): ConnectionOptions {
  const seed = new TextEncoder().encode(readFileSync(busCredentialFile(nats.credentials, '', 'gateway'), 'utf8').trim());
  return {
    servers: nats.url.split(','),
    name: 'drills',
    authenticator: nkeyAuthenticator(seed),
    inboxPrefix: '_INBOX.gateway',
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
  };
}

/** The node that leads the change stream now (its name), as the cluster reports it. */
async function streamLeader(environment: DrillEnvironment): Promise<string> {
  const connection = await environment.connectBus();
  try {
    const info = await (await jetstreamManager(connection)).streams.info('TESSERA_EVENTS');
    if (!info.cluster?.leader) throw new Error('the event stream has no leader');
    if ((info.config.num_replicas ?? 1) < 3) throw new Error(`the event stream has ${info.config.num_replicas} replica(s), not 3`);
    return info.cluster.leader;
  } finally {
    await connection.close();
  }
}

/** Waits until every replica of the change stream is current again (the restarted node caught up). */
async function replicasCurrent(environment: DrillEnvironment, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const connection = await environment.connectBus();
  try {
    // No API check up front: right after the restart it can time out, and the loop below asks again anyway.
    const jsm = await jetstreamManager(connection, { checkAPI: false });
    while (Date.now() < deadline) {
      const info = await jsm.streams.info('TESSERA_EVENTS').catch(() => undefined);
      const replicas = info?.cluster?.replicas ?? [];
      if (info?.cluster?.leader && replicas.length === 2 && replicas.every((r) => r.current)) return true;
      await sleep(250);
    }
    return false;
  } finally {
    await connection.close();
  }
}

/**
 * kill -9 of the node leading the event stream, under load; it is started again 5 s later. The stream has three
 * replicas (the default on a cluster of three), so a new leader takes over and nothing is lost.
 */
export function clusterDrill(): Drill {
  return {
    name: CLUSTER_DRILL,
    summary: 'kill -9 of the nats-server leading the event stream (one of three, JetStream R3) under load; restarted 5 s later',
    recoveryBoundMs: 5_000,
    async inject({ environment, load }) {
      if (!isCluster(environment.nats)) throw new Error(`${CLUSTER_DRILL} needs the platform on a cluster`);
      const leader = await streamLeader(environment);
      const node = environment.nats.nodes.find((n) => n.name === leader);
      if (!node) throw new Error(`no node named ${leader}`);
      const inFlightAtFault = load.inFlight;
      await node.stop('SIGKILL');
      const killedAt = Date.now();
      await sleep(5_000);
      await node.start();
      const current = await replicasCurrent(environment);
      // The fault is the kill: the cluster carries on without the node, so recovery counts from it.
      return {
        endedAt: killedAt,
        inFlightAtFault,
        note: `killed ${leader}; restarted after 5 s; replicas ${current ? 'current again' : 'NOT current within 30 s'} ${Date.now() - killedAt} ms after the kill`,
      };
    },
  };
}

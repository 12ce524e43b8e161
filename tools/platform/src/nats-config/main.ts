import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { generateNatsConfig, SERVER_CONFIG_FILE } from './generate.js';
import { SERVER_NAME_VARIABLE } from './server-config.js';

const USAGE = `usage: npm run nats:config -- <dir> [--prefix P ...] [--rotate] [--listen host:port] [--store-dir path]
         [--tls-cert server.pem --tls-key server-key.pem [--tls-client-ca ca.pem]]
         [--cluster NAME --routes host:6222,host:6222,host:6222 [--cluster-listen host:port]]

Writes <dir>/${SERVER_CONFIG_FILE} (start it with: nats-server -c <dir>/${SERVER_CONFIG_FILE}) and one credential per
service and platform, <dir>/platform[-P]/<service>.nk. nats-server listens on --listen (default 127.0.0.1:4222) and keeps
JetStream's files in --store-dir (default <dir>/jetstream). Start Tessera with TESSERA_NATS_CREDENTIALS=<dir> and, for a
platform made with --prefix P, TESSERA_SUBJECT_PREFIX=P. Run again to add a platform; keys are kept unless --rotate.
With --cluster the same file serves every node of a JetStream cluster: copy <dir> to each and start it with
${SERVER_NAME_VARIABLE}=<node name> nats-server -c <dir>/${SERVER_CONFIG_FILE}; routes are taken on --cluster-listen
(default 0.0.0.0:6222). Give Tessera every node: NATS_URL=nats://host1:4222,nats://host2:4222,nats://host3:4222.`;
const LISTEN = /^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const PREFIX = /^[A-Za-z0-9_-]{1,32}$/;
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      prefix: { type: 'string', multiple: true },
      rotate: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-client-ca': { type: 'string' },
      listen: { type: 'string' },
      'store-dir': { type: 'string' },
      cluster: { type: 'string' },
      routes: { type: 'string' },
      'cluster-listen': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) fail('give exactly one output directory');
const prefixes = values.prefix ?? [];
for (const prefix of prefixes) if (!PREFIX.test(prefix)) fail(`--prefix ${prefix}: 1-32 characters of A-Z a-z 0-9 _ - (as TESSERA_SUBJECT_PREFIX)`);
if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) fail('--tls-cert and --tls-key go together');
if (values['tls-client-ca'] && !values['tls-cert']) fail('--tls-client-ca needs --tls-cert and --tls-key');
if (values.listen !== undefined && !LISTEN.test(values.listen)) fail(`--listen ${values.listen}: give host:port, e.g. 127.0.0.1:4222 or 0.0.0.0:4222`);
if (Boolean(values.cluster) !== Boolean(values.routes)) fail('--cluster and --routes go together');
if (values['cluster-listen'] && !values.cluster) fail('--cluster-listen needs --cluster');
if (values.cluster && !CLUSTER_NAME.test(values.cluster)) fail(`--cluster ${values.cluster}: 1-64 characters of A-Z a-z 0-9 _ -`);
const routes = (values.routes ?? '').split(',').filter(Boolean);
for (const route of routes) if (!LISTEN.test(route.replace(/^nats-route:\/\//, ''))) fail(`--routes ${route}: give host:port (the nodes' cluster ports)`);
if (values['cluster-listen'] !== undefined && !LISTEN.test(values['cluster-listen'])) fail(`--cluster-listen ${values['cluster-listen']}: give host:port`);

const result = await generateNatsConfig({
  dir: positionals[0],
  prefixes,
  rotate: values.rotate,
  listen: values.listen,
  storeDir: values['store-dir'],
  cluster: values.cluster
    ? {
        name: values.cluster,
        listen: values['cluster-listen'] ?? '0.0.0.0:6222',
        routes: routes.map((route) => (route.startsWith('nats-route://') ? route : `nats-route://${route}`)),
      }
    : undefined,
  tls: values['tls-cert'] ? { certFile: values['tls-cert'], keyFile: values['tls-key']!, clientCaFile: values['tls-client-ca'] } : undefined,
});
console.log(`wrote ${result.configFile}`);
for (const account of result.accounts) {
  const changes = [
    account.created.length ? `new keys: ${account.created.join(', ')}` : '',
    account.rotated.length ? `rotated: ${account.rotated.join(', ')}` : '',
  ].filter(Boolean);
  console.log(`  account ${account.name} (TESSERA_SUBJECT_PREFIX=${account.subjectPrefix || '<none>'}): ${changes.join('; ') || 'keys kept'}`);
}
console.log(`Start NATS: ${values.cluster ? `${SERVER_NAME_VARIABLE}=<node> ` : ''}nats-server -c ${result.configFile}`);
for (const account of result.accounts)
  console.log(
    `Start Tessera: TESSERA_NATS_CREDENTIALS=${positionals[0]}${account.subjectPrefix ? ` TESSERA_SUBJECT_PREFIX=${account.subjectPrefix}` : ''} NATS_URL=nats://… DATABASE_URL=… npm start`,
  );
if (result.accounts.some((a) => a.rotated.length))
  console.log('Reload nats-server (nats-server --signal reload), then restart the services: the old keys no longer connect.');

import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { generateNatsConfig, SERVER_CONFIG_FILE } from './generate.js';

const USAGE = `usage: npm run nats:config -- <dir> [--prefix P ...] [--rotate] [--listen host:port] [--store-dir path]
         [--tls-cert server.pem --tls-key server-key.pem [--tls-client-ca ca.pem]]

Writes <dir>/${SERVER_CONFIG_FILE} (start it with: nats-server -c <dir>/${SERVER_CONFIG_FILE}) and one credential per
service and platform, <dir>/platform[-P]/<service>.nk. nats-server listens on --listen (default 127.0.0.1:4222) and keeps
JetStream's files in --store-dir (default <dir>/jetstream). Start Tessera with TESSERA_NATS_CREDENTIALS=<dir> and, for a
platform made with --prefix P, TESSERA_SUBJECT_PREFIX=P. Run again to add a platform; keys are kept unless --rotate.`;
const LISTEN = /^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const PREFIX = /^[A-Za-z0-9_-]{1,32}$/;

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

const result = await generateNatsConfig({
  dir: positionals[0],
  prefixes,
  rotate: values.rotate,
  listen: values.listen,
  storeDir: values['store-dir'],
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
console.log(`Start NATS: nats-server -c ${result.configFile}`);
for (const account of result.accounts)
  console.log(
    `Start Tessera: TESSERA_NATS_CREDENTIALS=${positionals[0]}${account.subjectPrefix ? ` TESSERA_SUBJECT_PREFIX=${account.subjectPrefix}` : ''} NATS_URL=nats://… DATABASE_URL=… npm start`,
  );
if (result.accounts.some((a) => a.rotated.length))
  console.log('Reload nats-server (nats-server --signal reload), then restart the services: the old keys no longer connect.');

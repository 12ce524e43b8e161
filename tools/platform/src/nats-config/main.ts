import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { generateNatsConfig, SERVER_CONFIG_FILE } from './generate.js';

const USAGE = `usage: npm run nats:config -- <dir> [--prefix P ...] [--rotate] [--tls-cert server.pem --tls-key server-key.pem [--tls-client-ca ca.pem]]

Writes <dir>/${SERVER_CONFIG_FILE} (start nats-server with -c) and one credential per service and platform,
<dir>/platform[-P]/<service>.nk. Run again to add a platform; existing keys are kept unless --rotate.`;
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

const result = await generateNatsConfig({
  dir: positionals[0],
  prefixes,
  rotate: values.rotate,
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
if (result.accounts.some((a) => a.rotated.length))
  console.log('Reload nats-server (nats-server --signal reload), then restart the services: the old keys no longer connect.');

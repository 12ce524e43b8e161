import { isOpenBus, type TesseraConfig } from '@tessera/config';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * The few lines a person starting Tessera needs — where it answers, where the console is, which mode it chose, what
 * it found of its dependencies and which encryption key it uses (`status`), the generated admin password when there
 * is one — printed before the JSON logs rather than lost among them.
 */
export function startupBanner(config: TesseraConfig, url: string, adminPassword?: string, status: string[] = []): string {
  const mode =
    config.mode === 'embedded'
      ? [
          `mode: embedded (no DATABASE_URL/NATS_URL): PGlite in-process, data in ${resolve(config.dataDir)}`,
          '      all four services in this process on the in-process bus',
        ]
      : [
          `mode: distributed: ${Object.entries(config.replicas)
            .map(([service, n]) => `${n} × ${service}`)
            .join(', ')}`,
          `      over ${config.natsUrl} and ${config.databaseUrl!.replace(/\/\/[^@/]*@/, '//***@')}`,
        ];
  const warnings =
    config.mode === 'distributed' && isOpenBus(config.busSecurity)
      ? [
          '',
          '!!! OPEN BUS: NATS without credentials: anyone who can reach it can act as any Tessera service.',
          '!!! Development only. Secure it: npm run nats:config -- <dir>, then TESSERA_NATS_CREDENTIALS=<dir> (docs/distributed.md).',
        ]
      : [];
  const admin = adminPassword
    ? [
        '',
        'admin account created — sign in to the console with',
        '  username: admin',
        `  password: ${adminPassword}`,
        '  (shown once, here only; change it in the console or with POST /admin/password; TESSERA_ADMIN_PASSWORD chooses it on a first start)',
      ]
    : [];
  const lines = [
    `Tessera gateway ${config.mode === 'distributed' ? 'starting' : 'listening'} on ${url}`,
    `console: ${url}/console/`,
    ...mode,
    ...status,
    ...warnings,
    ...admin,
    '',
    'Ctrl-C stops everything. JSON logs follow.',
  ];
  const rule = '─'.repeat(72);
  return ['', rule, ...lines.map((line) => (line ? `  ${line}` : '')), rule, ''].join('\n');
}

/**
 * A log destination that holds what is written until `release()`, then passes everything through: the start-up
 * logs come after the banner, which can only be written once the platform has started (it knows the port then).
 */
export class HeldOutput {
  private held: string[] | null = [];

  constructor(private readonly out: Writable) {}

  write(line: string): boolean {
    if (this.held) this.held.push(line);
    else this.out.write(line);
    return true;
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const line of held) this.out.write(line);
  }
}

import type { ClientConfiguration } from '@tessera/contracts';

const quote = (value: string) => JSON.stringify(value);

/** The block to paste into an instance's application.conf (P6's `p6auth { client { … } }`), and the same as env vars. */
export function clientConfiguration(applicationId: string, appSecret: string, redirectUri: string, issuer: string): ClientConfiguration {
  const hocon = [
    'p6auth {',
    '    client {',
    `      id: ${quote(applicationId)}`,
    `      secret: ${quote(appSecret)}`,
    `      redirect.uri: ${quote(redirectUri)}`,
    '    }',
    `    issuer: ${quote(issuer)}`,
    '}',
  ].join('\n');
  return {
    hocon,
    env: {
      P6AUTH_CLIENT_ID: applicationId,
      P6AUTH_CLIENT_SECRET: appSecret,
      P6AUTH_CLIENT_REDIRECT_URI: redirectUri,
      P6AUTH_ISSUER: issuer,
    },
  };
}

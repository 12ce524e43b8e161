import type { ClientConfiguration } from '@tessera/contracts';

const quote = (value: string) => JSON.stringify(value);

/**
 * The block a Platform 6 (P6) instance reads from its application.conf (`p6auth { client { … } }`) to call this
 * platform as an integration, and the same as the environment variables P6 reads instead (`P6AUTH_*`).
 */
export function clientConfiguration(applicationId: string, appSecret: string, redirectUri: string, issuer: string): ClientConfiguration {
  const hocon = [
    '# Tessera: the credentials a Platform 6 (P6) instance uses to call this platform (paste into application.conf)',
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

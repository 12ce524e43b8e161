import { describe, expect, it } from 'vitest';
import { importNangoProviders } from './nango-import.js';

const entry = (lines: string) => `example:\n    display_name: Example\n${lines.replace(/^/gm, '    ')}\n`;

describe('importNangoProviders', () => {
  it('skips what it cannot keep on the provider, saying why', () => {
    const cases: [string, RegExp][] = [
      ['alias: jira', /alias of jira/],
      ['auth_mode: BASIC', /auth_mode BASIC is not OAuth 2/],
      ['auth_mode: OAUTH2\nauthorization_url: https://x.example/a', /has no token_url/],
      ['auth_mode: OAUTH2_CC\ntoken_url: https://x.example/${credentials.apiKey}/token', /\$\{credentials\.apiKey\}, which is not a connectionConfig variable/],
      ['auth_mode: OAUTH2_CC\ntoken_url: https://${connectionConfig.host}/token', /fills the host \{\{host\}\} other than as its first label/],
      ['auth_mode: OAUTH2_CC\ntoken_url: http://x.example/token', /is not an https URL/],
      // A pattern that lets a value leave the parent domain fails the catalog's host checks, named.
      [
        "auth_mode: OAUTH2_CC\ntoken_url: https://${connectionConfig.sub}.x.example/token\nconnection_config:\n    sub:\n        pattern: '^.+$'\n        example: acme",
        /example: variables\.sub: pattern \^\.\+\$ accepts/,
      ],
    ];
    for (const [lines, reason] of cases) {
      const { templates, skipped } = importNangoProviders(entry(lines));
      expect(templates, lines).toEqual([]);
      expect(skipped, lines).toEqual([{ key: 'example', reason: expect.stringMatching(reason) }]);
    }
  });

  it('keeps the file’s facts: engine parameters dropped, the others mapped, variables with their patterns', () => {
    const { templates, skipped } = importNangoProviders(
      entry(`auth_mode: OAUTH2
authorization_url: https://\${connectionConfig.sub}.x.example/authorize
token_url: https://\${connectionConfig.sub}.x.example/token
refresh_url: https://\${connectionConfig.sub}.x.example/refresh
authorization_params:
    response_type: code
    prompt: consent
refresh_params:
    grant_type: refresh
    region: eu
default_scopes: 'a b'
connection_config:
    sub:
        title: Subdomain
        pattern: '[a-z]+'
        example: acme`),
    );
    expect(skipped).toEqual([]);
    expect(templates[0]).toMatchObject({
      id: 'example',
      grantTypes: ['authorization_code'],
      authorizationParams: { prompt: 'consent' },
      refreshUrl: 'https://{{sub}}.x.example/refresh',
      refresh: { refreshTokens: true, grantValue: 'refresh', params: { region: 'eu' } },
      defaultScopes: ['a', 'b'],
      clientAuthMethod: 'client_secret_post',
      variables: [{ name: 'sub', label: 'Subdomain', pattern: '^[a-z]+$', example: 'acme', from: 'provider', hostParent: 'x.example' }],
    });
    expect(templates[0]).not.toHaveProperty('pkce');
  });

  it('refuses a body that is not a mapping of entries', () => {
    expect(() => importNangoProviders('[1, 2]')).toThrow(/not a providers.yaml/);
    expect(() => importNangoProviders('a: [')).toThrow(/not YAML/);
  });
});

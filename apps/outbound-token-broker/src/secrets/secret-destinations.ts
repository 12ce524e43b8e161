import { PROVIDER_SETTING_NAMES, providerSetting, secretUrlSettings, type StoredSecret } from '@tessera/contracts';
import type { Provider } from '../providers/provider.entity.js';
import type { OutboundToken } from '../outbound-token/outbound-token.entity.js';
import { fillTokenUrl } from '../oauth/token-variables.js';
import { templateVariables } from '../oauth/url-template.js';

/** A token's own URL (its API) that its access token goes to; every other destination is a provider setting. */
const TOKEN_URL_FIELDS = { accessToken: ['baseUrl'] } as const;

const urlSettings = (secret: StoredSecret) => secretUrlSettings(secret) as SecretUrlField[];

/**
 * Where each stored secret is sent, by URL field (ADR 0015), read from the provider settings' `secrets`
 * (PROVIDER_SETTINGS) plus the token's baseUrl. The one list the URL-change rule is derived from: a change that gives
 * a secret an origin it did not have clears it, unless the request re-enters it. `refreshUrl` means the URL refreshes
 * really go to (the token URL when there is none).
 */
export const SECRET_DESTINATIONS: Record<StoredSecret, readonly SecretUrlField[]> = {
  clientSecret: urlSettings('clientSecret'),
  accessToken: [...urlSettings('accessToken'), ...TOKEN_URL_FIELDS.accessToken],
  refreshToken: urlSettings('refreshToken'),
  password: urlSettings('password'),
};

export type SecretName = StoredSecret;
export type SecretUrlField = 'tokenUrl' | 'refreshUrl' | 'revocationUrl' | 'baseUrl';
/** URL settings that never carry a secret (their `secrets` is empty), so a new URL setting has to say which it is. */
export const URLS_WITHOUT_SECRETS = PROVIDER_SETTING_NAMES.filter(
  (name) => providerSetting(name).kind === 'url' && providerSetting(name).secrets?.length === 0,
);

type Urls = Partial<Record<SecretUrlField, string | null>>;

/**
 * The origin of a URL, or of a template's literal `scheme://authority` (`https://{{tenant}}.example.com`): a template
 * whose host is a variable is one origin for this rule, whoever sets the variable (ADR 0015 says why).
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  const authority = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url)?.[1];
  if (!authority) return null;
  try {
    return new URL(authority).origin;
  } catch {
    return authority.toLowerCase();
  }
}

/** The provider's URLs as templates (placeholders kept), with the refresh URL defaulted as refreshes use it. */
export function providerUrls(provider: Pick<Provider, 'tokenUrl' | 'refreshUrl' | 'revocationUrl'>): Urls {
  return { tokenUrl: provider.tokenUrl, refreshUrl: provider.refreshUrl ?? provider.tokenUrl, revocationUrl: provider.revocationUrl };
}

/** The URLs one token's secrets actually go to: the provider's filled with the token's variables, and its baseUrl. */
export function tokenUrls(
  provider: Pick<Provider, 'tokenUrl' | 'refreshUrl' | 'revocationUrl' | 'tokenResponseVariables' | 'tokenResponseHosts'>,
  token: Pick<OutboundToken, 'variables' | 'baseUrl'> & Partial<Pick<OutboundToken, 'responseValues'>>,
): Urls {
  const fill = (template: string | null) => {
    if (!template) return null;
    try {
      return fillTokenUrl(template, provider, token, 'url');
    } catch {
      return template;
    }
  };
  const templates = providerUrls(provider);
  return {
    tokenUrl: fill(templates.tokenUrl!),
    refreshUrl: fill(templates.refreshUrl!),
    revocationUrl: fill(templates.revocationUrl!),
    baseUrl: fill(token.baseUrl),
  };
}

/** The secrets (of `names`) that a change from `before` to `after` would send to an origin they were not sent to before. */
export function movedSecrets(before: Urls, after: Urls, names: readonly SecretName[] = Object.keys(SECRET_DESTINATIONS) as SecretName[]): SecretName[] {
  const origins = (urls: Urls, name: SecretName) =>
    new Set(SECRET_DESTINATIONS[name].map((field) => originOf(urls[field])).filter((o): o is string => o !== null));
  return names.filter((name) => {
    const known = origins(before, name);
    return [...origins(after, name)].some((origin) => !known.has(origin));
  });
}

/** Which URL fields moved a secret, for the message that says why it was cleared. */
export function movedFields(before: Urls, after: Urls, name: SecretName): SecretUrlField[] {
  return SECRET_DESTINATIONS[name].filter((field) => originOf(after[field]) !== null && originOf(after[field]) !== originOf(before[field]));
}

/**
 * The variables that fill the scheme, host or port of a URL a secret is sent to: whoever sets one of them chooses
 * where that secret goes. A variable in a path cannot (values are URL-encoded: no `/`, `?`, `#` or `@`), and a
 * template whose origin cannot be told apart gives away all of its variables.
 */
export function originVariables(urls: Urls): string[] {
  const templates = (Object.keys(urls) as SecretUrlField[])
    .filter((field) => Object.values(SECRET_DESTINATIONS).some((fields) => (fields as readonly string[]).includes(field)))
    .map((field) => urls[field])
    .filter((template): template is string => !!template);
  return [...new Set(templates.flatMap((template) => templateVariables(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(template)?.[0] ?? template)))];
}

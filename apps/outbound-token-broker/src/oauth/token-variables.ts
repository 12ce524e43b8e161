import { BusError, type ProviderSettingValues } from '@tessera/contracts';
import { hostVariables } from '@tessera/catalog';
import { fillTemplate } from './url-template.js';

type ResponseSettings = Pick<ProviderSettingValues, 'tokenResponseVariables' | 'tokenResponseHosts'>;
/** A token's own variables and those its provider's answers gave it. */
export interface TokenValues {
  variables: Record<string, string>;
  responseValues?: Record<string, string>;
}

/**
 * The values a token's URLs are filled from: its own variables, and what the provider's answers carried. A name the
 * provider's answers fill is never taken from the token's own variables, so nobody can set by hand where the answer
 * alone decides (the API's host, for Salesforce).
 */
export function tokenVariables(provider: ResponseSettings, token: TokenValues): Record<string, string> {
  const own = Object.entries(token.variables).filter(([name]) => !(name in provider.tokenResponseVariables));
  return { ...Object.fromEntries(own), ...token.responseValues };
}

/**
 * One of a token's URLs, filled: a host filled from a token answer must name the domain it stays on
 * (tokenResponseHosts), and the filled URL is checked against it (fillTemplate).
 */
export function fillTokenUrl(template: string, provider: ResponseSettings, token: TokenValues, field: string): string {
  const fromAnswers = hostVariables(template).filter((name) => name in provider.tokenResponseVariables);
  const unpinned = fromAnswers.filter((name) => !provider.tokenResponseHosts[name]);
  if (unpinned.length)
    throw new BusError('validation_failed', `${field}'s host comes from the token answer's ${unpinned.join(', ')}, with no domain to keep it on`, {
      [`variables.${unpinned[0]}`]: [`${unpinned[0]} fills the host of ${field}: its provider must name the domain it stays on (tokenResponseHosts)`],
    });
  const hosts = Object.fromEntries(fromAnswers.map((name) => [name, provider.tokenResponseHosts[name]]));
  return fillTemplate(template, tokenVariables(provider, token), field, hosts);
}

import { CLIENT_AUTH_METHODS, EXPIRES_IN_UNITS, GRANT_TYPES } from '@tessera/contracts';
import type { GrantType } from '../../api/types';

type FieldKind = 'text' | 'url' | 'secret' | 'number' | 'record' | 'list' | 'select' | 'checkbox' | 'textarea';

export interface ProviderField {
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: string[];
  /** The grant types that use this field; absent means every grant type. */
  grants?: GrantType[];
  section: 'general' | 'endpoints' | 'authorization' | 'token' | 'refresh';
}

const CODE: GrantType[] = ['authorization_code'];

/** Every provider field of the broker issue, and which grant types use it: the form hides the rest. */
const PROVIDER_FIELDS: ProviderField[] = [
  { name: 'name', label: 'Name', kind: 'text', section: 'general', hint: 'Lowercase letters, digits, dots, underscores or hyphens.' },
  { name: 'description', label: 'Description', kind: 'textarea', section: 'general' },
  { name: 'docsUrl', label: 'Documentation URL', kind: 'url', section: 'general' },
  { name: 'grantType', label: 'Grant type', kind: 'select', options: [...GRANT_TYPES], section: 'general' },
  { name: 'clientId', label: 'Client ID', kind: 'text', section: 'general' },
  { name: 'clientSecret', label: 'Client secret', kind: 'secret', section: 'general', hint: 'Write-only: stored encrypted, never shown again.' },
  { name: 'clientAuthMethod', label: 'Client authentication', kind: 'select', options: [...CLIENT_AUTH_METHODS], section: 'general' },
  {
    name: 'authorizationUrl',
    label: 'Authorization URL',
    kind: 'url',
    grants: CODE,
    section: 'endpoints',
    hint: 'May hold {{variable}} placeholders filled from the token’s variables.',
  },
  {
    name: 'tokenUrl',
    label: 'Token URL',
    kind: 'url',
    section: 'endpoints',
    hint: 'May hold {{variable}} placeholders, e.g. https://oauth.myapp.com/token/{{account}}',
  },
  { name: 'refreshUrl', label: 'Re-authenticate (refresh) URL', kind: 'url', section: 'endpoints', hint: 'Blank: the token URL.' },
  { name: 'revocationUrl', label: 'Revocation URL', kind: 'url', section: 'endpoints' },
  { name: 'scopes', label: 'Default scopes', kind: 'list', section: 'authorization', hint: 'Space separated.' },
  { name: 'scopeSeparator', label: 'Scope separator', kind: 'text', section: 'authorization', hint: 'Sent literally; default a space. Some APIs want , or +.' },
  { name: 'pkce', label: 'PKCE (S256)', kind: 'checkbox', grants: CODE, section: 'authorization' },
  { name: 'stateLength', label: 'State length', kind: 'number', grants: CODE, section: 'authorization', hint: '8 to 128 random characters; default 32.' },
  { name: 'prompt', label: 'Prompt', kind: 'text', grants: CODE, section: 'authorization', hint: 'e.g. consent, select_account' },
  {
    name: 'authorizationParams',
    label: 'Extra authorization parameters',
    kind: 'record',
    grants: CODE,
    section: 'authorization',
    hint: 'One key=value per line.',
  },
  { name: 'tokenParams', label: 'Extra token parameters', kind: 'record', section: 'token', hint: 'One key=value per line.' },
  { name: 'accessTokenPath', label: 'Access token path', kind: 'text', section: 'token', hint: 'Dotted for nested responses; default access_token.' },
  { name: 'refreshTokenPath', label: 'Refresh token path', kind: 'text', section: 'token', hint: 'Default refresh_token.' },
  { name: 'expiresInPath', label: 'Expires-in path', kind: 'text', section: 'token', hint: 'Default expires_in.' },
  { name: 'expiresInUnit', label: 'Expires-in unit', kind: 'select', options: [...EXPIRES_IN_UNITS], section: 'token' },
  {
    name: 'defaultLifetimeSeconds',
    label: 'Default lifetime (seconds)',
    kind: 'number',
    grants: ['client_credentials', 'password'],
    section: 'token',
    hint: 'When the provider sends no expires_in; blank: valid until a 401.',
  },
  { name: 'timeoutSeconds', label: 'Timeout (seconds)', kind: 'number', section: 'token', hint: 'Default 30.' },
  {
    name: 'refreshGrantParam',
    label: 'Refresh grant parameter',
    kind: 'text',
    section: 'refresh',
    hint: 'Default grant_type; some APIs use refresh_grant_type.',
  },
  { name: 'refreshGrantValue', label: 'Refresh grant value', kind: 'text', section: 'refresh', hint: 'Default refresh_token.' },
  {
    name: 'refreshParams',
    label: 'Refresh parameters',
    kind: 'record',
    section: 'refresh',
    hint: 'When a refresh needs other parameters than the first exchange. key=value per line.',
  },
  { name: 'refreshBufferSeconds', label: 'Refresh before expiry (seconds)', kind: 'number', section: 'refresh' },
];

export const SECTIONS: { key: ProviderField['section']; title: string }[] = [
  { key: 'general', title: 'Provider' },
  { key: 'endpoints', title: 'Endpoints' },
  { key: 'authorization', title: 'Authorization' },
  { key: 'token', title: 'Token response' },
  { key: 'refresh', title: 'Refresh' },
];

/** A field's hint on this form: an existing provider's secret is kept when the field is left blank; a new one has none to keep. */
export function fieldHint(field: ProviderField, editing: boolean): string | undefined {
  return field.name === 'clientSecret' && editing ? `${field.hint} Leave blank to keep the current one.` : field.hint;
}

export function visibleFields(grantType: GrantType): ProviderField[] {
  return PROVIDER_FIELDS.filter((field) => !field.grants || field.grants.includes(grantType));
}

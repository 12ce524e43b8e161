import type { CreateIntegrationRequest } from '@tessera/contracts';
import {
  ANNOUNCED_CLIENT_AUTHENTICATION_METHODS,
  CLIENT_AUTHENTICATION_LABELS,
  GRANT_LABELS,
  INTEGRATION_GRANT_TYPES,
  type IntegrationAuthenticationMethod,
  type IntegrationGrantType,
  type IntegrationView,
} from '../../api/types';
import { Checkbox, Field, FormError, SelectField, TextAreaField, TextField } from '../../components/forms';
import { PermissionChips } from '../../components/PermissionChips';
import { useForm } from '../../components/useForm';
import { useSession } from '../../session';

export interface IntegrationDraft {
  name: string;
  applicationId: string;
  permissions: string[];
  redirectUris: string;
  enabled: boolean;
  refreshTokensValidUntilRevoked: boolean;
  accessTokenTtlSeconds: string;
  refreshTokenReuseIntervalSeconds: string;
  // Grant growth (ADR 0016)
  refreshTokensOnClientCredentials: boolean;
  clientCredentialsTokensPerHour: string;
  grantTypes: IntegrationGrantType[];
  tokenEndpointAuthMethod: IntegrationAuthenticationMethod;
  /** private_key_jwt: a pasted JWK Set (JSON) or the URL it is published at. */
  keys: string;
  dpopBoundAccessTokens: boolean;
}

const AUTH_METHOD_OPTIONS = ANNOUNCED_CLIENT_AUTHENTICATION_METHODS.map((method) => ({ value: method, label: CLIENT_AUTHENTICATION_LABELS[method] }));

/** The keys field as the API takes it: a URL is `jwksUri`; anything else is sent as the JWK Set (the server says what is wrong with it). */
function keySource(keys: string): Pick<CreateIntegrationRequest, 'jwks' | 'jwksUri'> {
  const text = keys.trim();
  if (/^https?:\/\//i.test(text)) return { jwksUri: text, jwks: null };
  try {
    return { jwks: JSON.parse(text) as CreateIntegrationRequest['jwks'], jwksUri: null };
  } catch {
    return { jwks: { keys: [] }, jwksUri: null };
  }
}

function draftFrom(integration?: IntegrationView): IntegrationDraft {
  return {
    name: integration?.name ?? '',
    applicationId: integration?.applicationId ?? '',
    permissions: integration?.permissions ?? [],
    redirectUris: integration?.redirectUris.join('\n') ?? '',
    enabled: integration?.enabled ?? true,
    refreshTokensValidUntilRevoked: integration?.refreshTokensValidUntilRevoked ?? false,
    accessTokenTtlSeconds: integration ? String(integration.accessTokenTtlSeconds) : '',
    refreshTokenReuseIntervalSeconds: integration ? String(integration.refreshTokenReuseIntervalSeconds) : '',
    refreshTokensOnClientCredentials: integration?.refreshTokensOnClientCredentials ?? true,
    clientCredentialsTokensPerHour: integration?.clientCredentialsTokensPerHour ? String(integration.clientCredentialsTokensPerHour) : '',
    grantTypes: integration?.grantTypes ?? [...INTEGRATION_GRANT_TYPES],
    tokenEndpointAuthMethod: integration?.tokenEndpointAuthMethod ?? 'client_secret_basic',
    keys: integration?.jwksUri ?? (integration?.jwks ? JSON.stringify(integration.jwks, null, 2) : ''),
    dpopBoundAccessTokens: integration?.dpopBoundAccessTokens ?? false,
  };
}

/** The request body for POST (create) or PATCH (edit); blank optional fields are left for the server's defaults. */
function requestBody(draft: IntegrationDraft, creating: boolean): CreateIntegrationRequest {
  const body: CreateIntegrationRequest = {
    name: draft.name.trim(),
    permissions: draft.permissions,
    redirectUris: draft.redirectUris.split(/\s+/).filter(Boolean),
    enabled: draft.enabled,
    refreshTokensValidUntilRevoked: draft.refreshTokensValidUntilRevoked,
    grantTypes: draft.grantTypes,
  };
  if (draft.accessTokenTtlSeconds.trim()) body.accessTokenTtlSeconds = Number(draft.accessTokenTtlSeconds);
  if (draft.refreshTokenReuseIntervalSeconds.trim()) body.refreshTokenReuseIntervalSeconds = Number(draft.refreshTokenReuseIntervalSeconds);
  body.refreshTokensOnClientCredentials = draft.refreshTokensOnClientCredentials;
  // Blank means no quota: on an edit that clears one (null), on a create it is the default.
  if (draft.clientCredentialsTokensPerHour.trim()) body.clientCredentialsTokensPerHour = Number(draft.clientCredentialsTokensPerHour);
  else if (!creating) body.clientCredentialsTokensPerHour = null;
  if (creating && draft.applicationId.trim()) body.applicationId = draft.applicationId.trim();
  body.tokenEndpointAuthMethod = draft.tokenEndpointAuthMethod;
  if (draft.tokenEndpointAuthMethod === 'private_key_jwt') Object.assign(body, keySource(draft.keys));
  body.dpopBoundAccessTokens = draft.dpopBoundAccessTokens;
  return body;
}

/** 24 random bytes as base64url (32 characters), as the API generates them when none is given. */
function generateApplicationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

interface Props {
  initial?: IntegrationView;
  suggestions?: string[];
  submitLabel: string;
  onSubmit(body: CreateIntegrationRequest): Promise<void>;
  onCancel(): void;
}

export function IntegrationForm({ initial, suggestions, submitLabel, onSubmit, onCancel }: Props) {
  const creating = !initial;
  const { user } = useSession();
  const form = useForm(
    () => draftFrom(initial),
    (draft) => onSubmit(requestBody(draft, creating)),
  );
  const { values: draft, set, bind, check } = form;
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label={creating ? 'New integration' : `Edit ${initial.name}`}>
      <FormError
        error={form.error}
        shownFields={[
          'name',
          'applicationId',
          'permissions',
          'redirectUris',
          'accessTokenTtlSeconds',
          'refreshTokenReuseIntervalSeconds',
          'clientCredentialsTokensPerHour',
          'grantTypes',
          'tokenEndpointAuthMethod',
          'jwks',
          'jwksUri',
        ]}
      />
      <TextField {...bind('name')} label="Name" required maxLength={200} autoFocus={creating} />
      {creating && (
        <TextField
          {...bind('applicationId')}
          label="Application ID"
          hint="Leave blank and Tessera generates one, or generate one here; at least 32 characters of A-Z a-z 0-9 . _ ~ -."
          spellCheck={false}
          autoComplete="off"
          after={
            <button type="button" onClick={() => set('applicationId', generateApplicationId())}>
              Generate
            </button>
          }
        />
      )}
      <PermissionChips
        value={draft.permissions}
        onChange={(p) => set('permissions', p)}
        errors={form.errorsOf('permissions')}
        suggestions={suggestions}
        ceiling={user?.role}
      />
      <TextAreaField
        {...bind('redirectUris')}
        label="Redirect URIs"
        hint="One per line; only for the authorization-code flow (e.g. another platform's /oauth/callback)."
        rows={2}
        spellCheck={false}
      />
      <TextField
        {...bind('accessTokenTtlSeconds')}
        label="Access token lifetime (seconds)"
        type="number"
        min={60}
        max={86400}
        placeholder="default"
        hint="60 to 86400; blank keeps the default."
      />
      <TextField
        {...bind('refreshTokenReuseIntervalSeconds')}
        label="Refresh token reuse interval (seconds)"
        type="number"
        min={0}
        max={3600}
        placeholder="30"
        hint="How long a client may retry with the refresh token it just used, if the answer was lost (0 disables); blank keeps 30."
      />
      <Field
        label="Allowed grants"
        errors={form.errorsOf('grantTypes')}
        hint="Which token requests this integration may make; an instance's integration needs its admin's consent (no client credentials)."
      >
        {(aria) => (
          <div {...aria} role="group" className="row">
            {INTEGRATION_GRANT_TYPES.map((grant) => (
              <label key={grant}>
                <input
                  type="checkbox"
                  checked={draft.grantTypes.includes(grant)}
                  onChange={(e) => set('grantTypes', e.target.checked ? [...draft.grantTypes, grant] : draft.grantTypes.filter((g) => g !== grant))}
                />{' '}
                {GRANT_LABELS[grant]}
              </label>
            ))}
          </div>
        )}
      </Field>
      <SelectField
        {...bind('tokenEndpointAuthMethod')}
        label="Client authentication"
        options={AUTH_METHOD_OPTIONS}
        hint="A secret (shown once), or private_key_jwt: the application signs a short-lived JWT with its own private key, and Tessera holds only the public keys."
      />
      {draft.tokenEndpointAuthMethod === 'private_key_jwt' && (
        <TextAreaField
          {...bind('keys')}
          label="Public keys (JWKS or its URL)"
          hint='Paste the JWK Set ({"keys": [...]}, public keys only) or the https URL it is published at (fetched again when an unknown key id appears).'
          errors={[...form.errorsOf('jwks'), ...form.errorsOf('jwksUri')]}
          rows={4}
          spellCheck={false}
        />
      )}
      <Checkbox
        {...check('dpopBoundAccessTokens')}
        label="Require DPoP-bound tokens"
        hint="RFC 9449: every token request must carry a DPoP proof, and the tokens work only with the key that made it."
      />
      <Checkbox {...check('enabled')} label="Enabled" hint="A disabled integration gets no tokens, and its live tokens are revoked." />
      <Checkbox
        {...check('refreshTokensValidUntilRevoked')}
        label="Refresh tokens valid until revoked"
        hint="Otherwise refresh tokens expire 28 days after they are issued."
      />
      <Checkbox
        {...check('refreshTokensOnClientCredentials')}
        label="Refresh tokens on client_credentials"
        hint="What Platform 6 (P6) instances expect. Off: the application asks again with its ID and secret, and no grant is stored per token."
      />
      <TextField
        {...bind('clientCredentialsTokensPerHour')}
        label="Token quota (client_credentials tokens per hour)"
        type="number"
        min={1}
        placeholder="no quota"
        hint="Beyond it the token endpoint answers 429 with Retry-After until the next hour; blank for none."
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {form.busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

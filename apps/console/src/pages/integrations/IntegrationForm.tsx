import { useState } from 'react';
import type { CreateIntegrationRequest } from '@tessera/contracts';
import { GRANT_LABELS, INTEGRATION_GRANT_TYPES, type IntegrationGrantType, type IntegrationView } from '../../api/types';
import { Checkbox, Field, fieldErrors, FormError, TextField } from '../../components/forms';
import { PermissionChips } from '../../components/PermissionChips';
import { useFormSubmit } from '../../components/useFormSubmit';
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
  return body;
}

/** 48 random bytes as base64url (64 characters): what the seed's "generate" button fills in. */
function generateApplicationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
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
  const [draft, setDraft] = useState(() => draftFrom(initial));
  const set = <K extends keyof IntegrationDraft>(key: K, value: IntegrationDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const { submit, busy, error } = useFormSubmit(() => onSubmit(requestBody(draft, creating)));
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-label={creating ? 'New integration' : `Edit ${initial.name}`}>
      <FormError
        error={error}
        shownFields={[
          'name',
          'applicationId',
          'permissions',
          'redirectUris',
          'accessTokenTtlSeconds',
          'refreshTokenReuseIntervalSeconds',
          'clientCredentialsTokensPerHour',
          'grantTypes',
        ]}
      />
      <TextField
        label="Name"
        value={draft.name}
        onChange={(e) => set('name', e.target.value)}
        errors={fieldErrors(error, 'name')}
        required
        maxLength={200}
        autoFocus={creating}
      />
      {creating && (
        <Field
          label="Application ID"
          errors={fieldErrors(error, 'applicationId')}
          hint="Leave blank and Tessera generates one, or generate one here; at least 32 characters of A-Z a-z 0-9 . _ ~ -."
        >
          {(aria) => (
            <div className="row">
              <input {...aria} value={draft.applicationId} onChange={(e) => set('applicationId', e.target.value)} spellCheck={false} autoComplete="off" />
              <button type="button" onClick={() => set('applicationId', generateApplicationId())}>
                Generate
              </button>
            </div>
          )}
        </Field>
      )}
      <PermissionChips
        value={draft.permissions}
        onChange={(p) => set('permissions', p)}
        errors={fieldErrors(error, 'permissions')}
        suggestions={suggestions}
        ceiling={user?.role}
      />
      <Field
        label="Redirect URIs"
        errors={fieldErrors(error, 'redirectUris')}
        hint="One per line; only for the authorization-code flow (e.g. another platform's /oauth/callback)."
      >
        {(aria) => <textarea {...aria} rows={2} value={draft.redirectUris} onChange={(e) => set('redirectUris', e.target.value)} spellCheck={false} />}
      </Field>
      <TextField
        label="Access token lifetime (seconds)"
        type="number"
        min={60}
        max={86400}
        placeholder="default"
        value={draft.accessTokenTtlSeconds}
        onChange={(e) => set('accessTokenTtlSeconds', e.target.value)}
        errors={fieldErrors(error, 'accessTokenTtlSeconds')}
        hint="60 to 86400; blank keeps the default."
      />
      <TextField
        label="Refresh token reuse interval (seconds)"
        type="number"
        min={0}
        max={3600}
        placeholder="30"
        value={draft.refreshTokenReuseIntervalSeconds}
        onChange={(e) => set('refreshTokenReuseIntervalSeconds', e.target.value)}
        errors={fieldErrors(error, 'refreshTokenReuseIntervalSeconds')}
        hint="How long a client may retry with the refresh token it just used, if the answer was lost (0 disables); blank keeps 30."
      />
      <Field
        label="Allowed grants"
        errors={fieldErrors(error, 'grantTypes')}
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
      <Checkbox
        label="Enabled"
        checked={draft.enabled}
        onChange={(e) => set('enabled', e.target.checked)}
        hint="A disabled integration gets no tokens, and its live tokens are revoked."
      />
      <Checkbox
        label="Refresh tokens valid until revoked"
        checked={draft.refreshTokensValidUntilRevoked}
        onChange={(e) => set('refreshTokensValidUntilRevoked', e.target.checked)}
        hint="Otherwise refresh tokens expire 28 days after they are issued."
      />
      <Checkbox
        label="Refresh tokens on client_credentials"
        checked={draft.refreshTokensOnClientCredentials}
        onChange={(e) => set('refreshTokensOnClientCredentials', e.target.checked)}
        hint="P6 issues them. Off: the application asks again with its ID and secret, and no grant is stored per token."
      />
      <TextField
        label="Token quota (client_credentials tokens per hour)"
        type="number"
        min={1}
        placeholder="no quota"
        value={draft.clientCredentialsTokensPerHour}
        onChange={(e) => set('clientCredentialsTokensPerHour', e.target.value)}
        errors={fieldErrors(error, 'clientCredentialsTokensPerHour')}
        hint="Beyond it the token endpoint answers 429 with Retry-After until the next hour; blank for none."
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

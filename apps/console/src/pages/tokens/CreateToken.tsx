import type { CreateTokenRequest } from '@tessera/contracts';
import { useState, type FormEvent } from 'react';
import { EmptyState } from '../../components/common';
import { Field, fieldErrors, FormError, SelectField, TextField } from '../../components/forms';
import { parseRecord } from '../../components/records';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { roleAtLeast } from '../admins/roles';

export function CreateToken({ onDone }: { onDone(): void }) {
  const { api, user } = useSession();
  const { data: providers } = useLoad(() => api.get('/admin/providers', { query: { limit: 500 } }), [api]);
  const [draft, setDraft] = useState({ name: '', providerId: '', scopes: '', prompt: '', variables: '', baseUrl: '', username: '', password: '' });
  const [error, setError] = useState<unknown>();
  const provider = providers?.items.find((p) => p.id === draft.providerId);
  const set = (key: keyof typeof draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const body: CreateTokenRequest = { name: draft.name.trim(), providerId: draft.providerId };
    if (draft.scopes.trim()) body.scopes = draft.scopes.split(/\s+/).filter(Boolean);
    if (draft.prompt.trim()) body.prompt = draft.prompt.trim();
    if (draft.variables.trim()) body.variables = parseRecord(draft.variables);
    if (draft.baseUrl.trim()) body.baseUrl = draft.baseUrl.trim();
    if (provider?.grantType === 'password') Object.assign(body, { username: draft.username, password: draft.password });
    try {
      await api.post('/admin/tokens', { body });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  if (providers && providers.items.length === 0)
    return <EmptyState title="Add a provider first">An outbound token belongs to a provider: create one on the Providers page.</EmptyState>;
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-label="New outbound token">
      <FormError error={error} shownFields={['name', 'providerId', 'scopes', 'prompt', 'variables', 'baseUrl', 'username', 'password']} />
      <div className="grid-2">
        <TextField
          label="Name"
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
          errors={fieldErrors(error, 'name')}
          hint="How services refer to it: /tokens/<name>, /proxy/<name>/…"
          autoFocus
        />
        <SelectField
          label="Provider"
          value={draft.providerId}
          onChange={(e) => set('providerId', e.target.value)}
          errors={fieldErrors(error, 'providerId')}
          options={[
            { value: '', label: 'Choose a provider' },
            ...(providers?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.grantType.replace(/_/g, ' ')})` })),
          ]}
        />
        <TextField
          label="Scopes"
          value={draft.scopes}
          onChange={(e) => set('scopes', e.target.value)}
          errors={fieldErrors(error, 'scopes')}
          hint="Space separated; blank uses the provider's defaults."
        />
        {/* Where the token and its callers' requests go: an admin's choice (operators choose no secret's destination). */}
        {roleAtLeast(user?.role, 'admin') && (
          <TextField
            label="Base URL"
            type="url"
            value={draft.baseUrl}
            onChange={(e) => set('baseUrl', e.target.value)}
            errors={fieldErrors(error, 'baseUrl')}
            hint="Where /proxy/<name>/… forwards to."
          />
        )}
        {provider?.grantType === 'authorization_code' && (
          <TextField
            label="Prompt"
            value={draft.prompt}
            onChange={(e) => set('prompt', e.target.value)}
            errors={fieldErrors(error, 'prompt')}
            hint="Overrides the provider's prompt."
          />
        )}
        {provider?.grantType === 'password' && (
          <>
            <TextField
              label="Username"
              value={draft.username}
              onChange={(e) => set('username', e.target.value)}
              errors={fieldErrors(error, 'username')}
              autoComplete="off"
            />
            <TextField
              label="Password"
              type="password"
              value={draft.password}
              onChange={(e) => set('password', e.target.value)}
              errors={fieldErrors(error, 'password')}
              autoComplete="new-password"
              hint="Stored encrypted; never shown again."
            />
          </>
        )}
      </div>
      <Field label="Variables" errors={fieldErrors(error, 'variables')} hint="key=value per line; fill {{variable}} placeholders in the provider's URLs.">
        {(aria) => <textarea {...aria} rows={2} value={draft.variables} onChange={(e) => set('variables', e.target.value)} spellCheck={false} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary">
          Create token
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

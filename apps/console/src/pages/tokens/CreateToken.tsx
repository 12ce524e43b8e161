import type { CreateTokenRequest } from '@tessera/contracts';
import { EmptyState } from '../../components/common';
import { FormError, SelectField, TextField } from '../../components/forms';
import { parseRecord } from '../../components/records';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import { roleAtLeast } from '../admins/roles';
import { VariablesField } from './VariablesField';

export function CreateToken({ onDone }: { onDone(): void }) {
  const { api, user } = useSession();
  const { data: providers } = useLoad(() => api.get('/admin/providers', { query: { limit: 500 } }), [api]);
  const providerOf = (id: string) => providers?.items.find((p) => p.id === id);
  const form = useForm({ name: '', providerId: '', scopes: '', prompt: '', variables: '', baseUrl: '', username: '', password: '' }, async (draft) => {
    const body: CreateTokenRequest = { name: draft.name.trim(), providerId: draft.providerId };
    if (draft.scopes.trim()) body.scopes = draft.scopes.split(/\s+/).filter(Boolean);
    if (draft.prompt.trim()) body.prompt = draft.prompt.trim();
    if (draft.variables.trim()) body.variables = parseRecord(draft.variables);
    if (draft.baseUrl.trim()) body.baseUrl = draft.baseUrl.trim();
    if (providerOf(draft.providerId)?.grantType === 'password') Object.assign(body, { username: draft.username, password: draft.password });
    await api.post('/admin/tokens', { body });
    onDone();
  });
  const provider = providerOf(form.values.providerId);
  if (providers && providers.items.length === 0)
    return <EmptyState title="Add a provider first">An outbound token belongs to a provider: create one on the Providers page.</EmptyState>;
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label="New outbound token">
      <FormError error={form.error} shownFields={['name', 'providerId', 'scopes', 'prompt', 'variables', 'baseUrl', 'username', 'password']} />
      <div className="grid-2">
        <TextField {...form.bind('name')} label="Name" hint="How services refer to it: /tokens/<name>, /proxy/<name>/…" autoFocus />
        <SelectField
          {...form.bind('providerId')}
          label="Provider"
          options={[
            { value: '', label: 'Choose a provider' },
            ...(providers?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.grantType.replace(/_/g, ' ')})` })),
          ]}
        />
        <TextField {...form.bind('scopes')} label="Scopes" hint="Space separated; blank uses the provider's defaults." />
        {/* Where the token and its callers' requests go: an admin's choice (operators choose no secret's destination). */}
        {roleAtLeast(user?.role, 'admin') && <TextField {...form.bind('baseUrl')} label="Base URL" type="url" hint="Where /proxy/<name>/… forwards to." />}
        {provider?.grantType === 'authorization_code' && <TextField {...form.bind('prompt')} label="Prompt" hint="Overrides the provider's prompt." />}
        {provider?.grantType === 'password' && (
          <>
            <TextField {...form.bind('username')} label="Username" autoComplete="off" />
            <TextField {...form.bind('password')} label="Password" type="password" autoComplete="new-password" hint="Stored encrypted; never shown again." />
          </>
        )}
      </div>
      <VariablesField {...form.bind('variables')} />
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

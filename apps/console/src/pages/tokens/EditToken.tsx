import type { TokenChanges } from '@tessera/contracts';
import type { GrantType, OutboundTokenView } from '../../api/types';
import { Checkbox, FormError, TextField } from '../../components/forms';
import { formatRecord, parseRecord } from '../../components/records';
import { useForm } from '../../components/useForm';
import { useSession } from '../../session';
import { VariablesField } from './VariablesField';

/** PATCH /admin/tokens/:id: what a token may change (its provider, name and base URL are fixed). */
export function EditToken({
  token,
  grantType,
  onDone,
  onCancel,
}: {
  token: OutboundTokenView;
  grantType: GrantType | undefined;
  onDone(): void;
  onCancel(): void;
}) {
  const { api } = useSession();
  const form = useForm(
    {
      scopes: (token.scopes ?? []).join(' '),
      prompt: token.prompt ?? '',
      variables: formatRecord(token.variables),
      active: token.active,
      password: '',
    },
    async (draft) => {
      const body: TokenChanges = {
        scopes: draft.scopes.split(/\s+/).filter(Boolean),
        variables: parseRecord(draft.variables),
        active: draft.active,
      };
      if (grantType === 'authorization_code') body.prompt = draft.prompt.trim();
      if (grantType === 'password' && draft.password) body.password = draft.password;
      await api.patch('/admin/tokens/:id', { params: { id: token.id }, body });
      onDone();
    },
  );
  return (
    <form className="panel" onSubmit={(e) => void form.submit(e)} noValidate aria-label={`Edit outbound token ${token.name}`}>
      <h2>Edit {token.name}</h2>
      <FormError error={form.error} shownFields={['scopes', 'prompt', 'variables', 'active', 'password']} />
      <div className="grid-2">
        <TextField {...form.bind('scopes')} label="Scopes" hint="Space separated; blank uses the provider's defaults." />
        {grantType === 'authorization_code' && <TextField {...form.bind('prompt')} label="Prompt" hint="Overrides the provider's prompt." />}
        {grantType === 'password' && (
          <TextField {...form.bind('password')} label="Password" type="password" autoComplete="new-password" hint="Leave blank to keep the current one." />
        )}
      </div>
      <VariablesField {...form.bind('variables')} />
      <Checkbox {...form.check('active')} label="Active" hint="An inactive token is neither refreshed nor handed out." />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.busy}>
          Save token
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

import type { TokenChanges } from '@tessera/contracts';
import { useState } from 'react';
import type { GrantType, OutboundTokenView } from '../../api/types';
import { Checkbox, Field, fieldErrors, FormError, TextField } from '../../components/forms';
import { formatRecord, parseRecord } from '../../components/records';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useSession } from '../../session';

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
  const [draft, setDraft] = useState({
    scopes: (token.scopes ?? []).join(' '),
    prompt: token.prompt ?? '',
    variables: formatRecord(token.variables),
    active: token.active,
    password: '',
  });
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const { submit, busy, error } = useFormSubmit(async () => {
    const body: TokenChanges = {
      scopes: draft.scopes.split(/\s+/).filter(Boolean),
      variables: parseRecord(draft.variables),
      active: draft.active,
    };
    if (grantType === 'authorization_code') body.prompt = draft.prompt.trim();
    if (grantType === 'password' && draft.password) body.password = draft.password;
    await api.patch('/admin/tokens/:id', { params: { id: token.id }, body });
    onDone();
  });
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-label={`Edit outbound token ${token.name}`}>
      <h2>Edit {token.name}</h2>
      <FormError error={error} shownFields={['scopes', 'prompt', 'variables', 'active', 'password']} />
      <div className="grid-2">
        <TextField
          label="Scopes"
          value={draft.scopes}
          onChange={(e) => set('scopes', e.target.value)}
          errors={fieldErrors(error, 'scopes')}
          hint="Space separated; blank uses the provider's defaults."
        />
        {grantType === 'authorization_code' && (
          <TextField
            label="Prompt"
            value={draft.prompt}
            onChange={(e) => set('prompt', e.target.value)}
            errors={fieldErrors(error, 'prompt')}
            hint="Overrides the provider's prompt."
          />
        )}
        {grantType === 'password' && (
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => set('password', e.target.value)}
            errors={fieldErrors(error, 'password')}
            hint="Leave blank to keep the current one."
          />
        )}
      </div>
      <Field label="Variables" errors={fieldErrors(error, 'variables')} hint="key=value per line; fill {{variable}} placeholders in the provider's URLs.">
        {(aria) => <textarea {...aria} rows={2} value={draft.variables} onChange={(e) => set('variables', e.target.value)} spellCheck={false} />}
      </Field>
      <Checkbox
        label="Active"
        checked={draft.active}
        onChange={(e) => set('active', e.target.checked)}
        hint="An inactive token is neither refreshed nor handed out."
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Save token
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

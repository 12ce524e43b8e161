import { useState } from 'react';
import type { ApiClient } from '../../api/client';
import { fieldErrors, FormError, TextField } from '../../components/forms';
import { useFormSubmit } from '../../components/useFormSubmit';

/**
 * One's own password: the current one, then the new one twice. On success every session of this administrator ends
 * (the server revokes them), so the console signs in again.
 */
export function PasswordForm({ api, onChanged, title = 'Change your password' }: { api: ApiClient; onChanged(): void; title?: string }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== newPassword ? ['does not match the new password'] : [];
  const { submit, busy, error } = useFormSubmit(async () => {
    if (mismatch.length) return;
    await api.post('/admin/password', { body: { currentPassword, newPassword } });
    onChanged();
  });
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="password-title" noValidate>
      <h2 id="password-title">{title}</h2>
      <FormError error={error} shownFields={['currentPassword', 'newPassword']} />
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(e) => setCurrent(e.target.value)}
        errors={fieldErrors(error, 'currentPassword')}
        required
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters, not your username."
        value={newPassword}
        onChange={(e) => setNew(e.target.value)}
        errors={fieldErrors(error, 'newPassword')}
        required
      />
      <TextField
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
        errors={mismatch}
        required
      />
      <button type="submit" className="primary" disabled={busy || mismatch.length > 0}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

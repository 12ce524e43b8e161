import type { ApiClient } from '../../api/client';
import { FormError, TextField } from '../../components/forms';
import { useForm } from '../../components/useForm';

/**
 * One's own password: the current one, then the new one twice. On success every session of this administrator ends
 * (the server revokes them), so the console signs in again.
 */
export function PasswordForm({ api, onChanged, title = 'Change your password' }: { api: ApiClient; onChanged(): void; title?: string }) {
  const mismatchOf = ({ newPassword, repeat }: { newPassword: string; repeat: string }) =>
    repeat !== '' && repeat !== newPassword ? ['does not match the new password'] : [];
  const { values, bind, submit, busy, error } = useForm({ currentPassword: '', newPassword: '', repeat: '' }, async (draft) => {
    if (mismatchOf(draft).length) return;
    await api.post('/admin/password', { body: { currentPassword: draft.currentPassword, newPassword: draft.newPassword } });
    onChanged();
  });
  const mismatch = mismatchOf(values);
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="password-title" noValidate>
      <h2 id="password-title">{title}</h2>
      <FormError error={error} shownFields={['currentPassword', 'newPassword']} />
      <TextField {...bind('currentPassword')} label="Current password" type="password" autoComplete="current-password" required />
      <TextField
        {...bind('newPassword')}
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters, not your username."
        required
      />
      {/* Checked here as it is typed: the API never sees the repetition. */}
      <TextField {...bind('repeat')} label="New password again" type="password" autoComplete="new-password" errors={mismatch} required />
      <button type="submit" className="primary" disabled={busy || mismatch.length > 0}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

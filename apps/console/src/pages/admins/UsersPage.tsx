import { useState } from 'react';
import { CopyButton, ErrorBanner, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { fieldErrors, FormError, SelectField, TextField } from '../../components/forms';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';
import type { AdminRole } from '@tessera/contracts';
import type { AdminUserView } from '../../api/types';
import { ROLE_OPTIONS } from './roles';

/** A one-time password, shown once: the user must replace it at the first sign-in. */
function OneTimePassword({ username, password, onDone }: { username: string; password: string; onDone(): void }) {
  return (
    <div className="secret-once panel" role="status">
      <h2>One-time password for {username}</h2>
      <p>Shown once. Give it to {username} over a safe channel; they choose their own at the first sign-in.</p>
      <p>
        <code>{password}</code> <CopyButton text={password} label="Copy password" />
      </p>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

/** Owners only: the named administrators, their roles, who is signed in, resets and removals. */
export function UsersPage() {
  const { api, user: me } = useSession();
  const { data, error, loading, reload } = useLoad(() => api.get('/admin/users'), [api]);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<AdminRole>('operator');
  const [shown, setShown] = useState<{ username: string; password: string }>();
  const [actionError, setActionError] = useState<unknown>();
  const create = useFormSubmit(async () => {
    const created = await api.post('/admin/users', { body: { username, role } });
    setShown({ username: created.username, password: created.oneTimePassword });
    setUsername('');
    reload();
  });
  const act = async (work: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await work();
    } catch (err) {
      setActionError(err);
    }
    reload();
  };
  const changeRole = (user: AdminUserView, next: AdminRole) =>
    act(async () => {
      await api.patch('/admin/users/:id', { params: { id: user.id }, body: { role: next } });
    });
  const reset = (user: AdminUserView) =>
    act(async () => {
      const answer = await api.post('/admin/users/:id/password', { params: { id: user.id } });
      setShown({ username: user.username, password: answer.oneTimePassword });
    });
  const remove = (user: AdminUserView) =>
    act(async () => {
      await api.delete('/admin/users/:id', { params: { id: user.id } });
    });

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      {shown && <OneTimePassword {...shown} onDone={() => setShown(undefined)} />}
      <ErrorBanner error={error ?? actionError} />
      {loading && !data && <p role="status">Loading…</p>}
      {data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((user) => (
              <tr key={user.id}>
                <td>
                  {user.username}
                  {user.username === me?.username ? ' (you)' : ''}
                  {user.mustChangePassword ? ' — must choose a password' : ''}
                </td>
                <td>
                  <select aria-label={`Role of ${user.username}`} value={user.role} onChange={(e) => void changeRole(user, e.target.value as AdminRole)}>
                    {ROLE_OPTIONS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.value}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{user.activeSessions > 0 ? `yes (${user.activeSessions})` : 'no'}</td>
                <td>
                  <Time iso={user.lastSeenAt} />
                </td>
                <td>
                  <ConfirmButton
                    label="Reset password"
                    className=""
                    ariaLabel={`Reset the password of ${user.username}`}
                    title={`Reset the password of ${user.username}?`}
                    onConfirm={() => reset(user)}
                  >
                    Their sessions end now; a one-time password is shown once, and they must choose their own at the next sign-in.
                  </ConfirmButton>{' '}
                  <ConfirmButton label="Remove" ariaLabel={`Remove ${user.username}`} title={`Remove ${user.username}?`} onConfirm={() => remove(user)}>
                    Their sessions end now and they can no longer sign in. What they did stays in the audit log.
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="panel" onSubmit={(e) => void create.submit(e)} aria-labelledby="new-user-title" noValidate>
        <h2 id="new-user-title">New administrator</h2>
        <FormError error={create.error} shownFields={['username', 'role']} />
        <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} errors={fieldErrors(create.error, 'username')} required />
        <SelectField
          label="Role"
          value={role}
          options={ROLE_OPTIONS}
          onChange={(e) => setRole(e.target.value as AdminRole)}
          errors={fieldErrors(create.error, 'role')}
        />
        <button type="submit" className="primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create'}
        </button>
      </form>
    </section>
  );
}

import { useState } from 'react';
import { CopyButton, ErrorBanner, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError, SelectField, TextField } from '../../components/forms';
import { ResourceTable } from '../../components/ResourceTable';
import { useForm } from '../../components/useForm';
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
  const { data, error, reload } = useLoad(() => api.get('/admin/users'), [api]);
  const [shown, setShown] = useState<{ username: string; password: string }>();
  const [actionError, setActionError] = useState<unknown>();
  const create = useForm<{ username: string; role: AdminRole }>({ username: '', role: 'operator' }, async (body) => {
    const created = await api.post('/admin/users', { body });
    setShown({ username: created.username, password: created.oneTimePassword });
    create.set('username', '');
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
      <ResourceTable
        rows={data?.items}
        error={error}
        loading="users"
        rowKey={(user) => user.id}
        columns={[
          {
            header: 'Username',
            cell: (user) => (
              <>
                {user.username}
                {user.username === me?.username ? ' (you)' : ''}
                {user.mustChangePassword ? ' — must choose a password' : ''}
              </>
            ),
          },
          {
            header: 'Role',
            cell: (user) => (
              <select aria-label={`Role of ${user.username}`} value={user.role} onChange={(e) => void changeRole(user, e.target.value as AdminRole)}>
                {ROLE_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.value}
                  </option>
                ))}
              </select>
            ),
          },
          { header: 'Signed in', cell: (user) => (user.activeSessions > 0 ? `yes (${user.activeSessions})` : 'no') },
          { header: 'Last seen', cell: (user) => <Time iso={user.lastSeenAt} /> },
        ]}
        showActionsHeader
        actions={(user) => (
          <>
            <ConfirmButton
              label="Reset password"
              className=""
              ariaLabel={`Reset the password of ${user.username}`}
              title={`Reset the password of ${user.username}?`}
              onConfirm={() => reset(user)}
            >
              Their sessions end now; a one-time password is shown once, and they must choose their own at the next sign-in.
            </ConfirmButton>
            <ConfirmButton label="Remove" ariaLabel={`Remove ${user.username}`} title={`Remove ${user.username}?`} onConfirm={() => remove(user)}>
              Their sessions end now and they can no longer sign in. What they did stays in the audit log.
            </ConfirmButton>
          </>
        )}
      />
      <form className="panel" onSubmit={(e) => void create.submit(e)} aria-labelledby="new-user-title" noValidate>
        <h2 id="new-user-title">New administrator</h2>
        <FormError error={create.error} shownFields={['username', 'role']} />
        <TextField {...create.bind('username')} label="Username" required />
        <SelectField {...create.bind('role')} label="Role" options={ROLE_OPTIONS} />
        <button type="submit" className="primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create'}
        </button>
      </form>
    </section>
  );
}

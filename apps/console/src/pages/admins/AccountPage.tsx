import { Time } from '../../components/common';
import { useSession } from '../../session';
import { PasswordForm } from './PasswordForm';

/** Who is signed in on this tab, until when the session can last, and one's own password. */
export function AccountPage() {
  const session = useSession();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      {session.user && (
        <dl className="facts">
          <dt>Signed in as</dt>
          <dd>{session.user.username}</dd>
          <dt>Role</dt>
          <dd>{session.user.role}</dd>
          <dt>Session ends at the latest</dt>
          <dd>
            <Time iso={session.user.endsAt} />
          </dd>
        </dl>
      )}
      <PasswordForm api={session.api} onChanged={() => session.logout('Your password was changed; sign in with the new one.')} />
    </section>
  );
}

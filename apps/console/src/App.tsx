import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TokenResponse } from '@tessera/contracts';
import { ApiClient, resumeSession } from './api/client';
import { ActivityPage } from './pages/activity/ActivityPage';
import { AccountPage } from './pages/admins/AccountPage';
import { PasswordForm } from './pages/admins/PasswordForm';
import { roleAtLeast } from './pages/admins/roles';
import { UsersPage } from './pages/admins/UsersPage';
import { AuditPage } from './pages/audit/AuditPage';
import { InstancesPage } from './pages/instances/InstancesPage';
import { IntegrationsPage } from './pages/integrations/IntegrationsPage';
import { LoginPage } from './pages/LoginPage';
import { ProvidersPage } from './pages/providers/ProvidersPage';
import { SsfStreamsPage } from './pages/ssf/SsfStreamsPage';
import { OutboundTokensPage } from './pages/tokens/OutboundTokensPage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { Link, ROUTES, Router, useRouter } from './router';
import { SessionContext, useSession, type Session } from './session';

const PAGES: Record<string, () => React.JSX.Element> = {
  integrations: IntegrationsPage,
  instances: InstancesPage,
  providers: ProvidersPage,
  tokens: OutboundTokensPage,
  webhooks: WebhooksPage,
  ssf: SsfStreamsPage,
  activity: ActivityPage,
  audit: AuditPage,
  users: UsersPage,
  account: AccountPage,
};

/** How often the console checks whether the token is due for renewal. */
const RENEW_CHECK_MS = 15_000;

interface Auth {
  token: string;
  expiresAt: number;
  lifetimeMs: number;
  mustChange: boolean;
}

const authFrom = (result: TokenResponse): Auth => ({
  token: result.access_token,
  expiresAt: Date.now() + result.expires_in * 1000,
  lifetimeMs: result.expires_in * 1000,
  mustChange: Boolean(result.must_change_password),
});

export function App() {
  const [auth, setAuth] = useState<Auth>();
  // Until the session cookie has been tried, neither the console nor the sign-in shows (no flash of the sign-in).
  const [resuming, setResuming] = useState(true);
  useEffect(() => {
    resumeSession().then(
      (result) => {
        setAuth((current) => current ?? authFrom(result));
        setResuming(false);
      },
      () => setResuming(false),
    );
  }, []);
  const [user, setUser] = useState<Session['user']>();
  const [notice, setNotice] = useState<string>();
  const logout = useCallback((reason?: string) => {
    setAuth(undefined);
    setUser(undefined);
    setNotice(reason);
  }, []);
  const token = auth?.token;
  const api = useMemo(() => (token ? new ApiClient(token, () => logout('Your session ended; sign in again.')) : undefined), [token, logout]);
  const session = useMemo<Session | null>(
    () => (api && auth && !auth.mustChange ? { api, expiresAt: auth.expiresAt, user, logout } : null),
    [api, auth, user, logout],
  );

  // Who is signed in, for the header and the pages only some roles see.
  useEffect(() => {
    if (!api || auth?.mustChange) return;
    api.get('/admin/session').then(
      (s) => setUser({ username: s.username, role: s.role, endsAt: s.endsAt }),
      () => undefined,
    );
  }, [api, auth?.mustChange]);

  // In use (a key or a click since the last token), the session is renewed in the last third of the token's life;
  // left alone, the token expires and the console signs out. The server caps renewals at the session's maximum.
  const active = useRef(false);
  useEffect(() => {
    const mark = () => {
      active.current = true;
    };
    window.addEventListener('pointerdown', mark);
    window.addEventListener('keydown', mark);
    return () => {
      window.removeEventListener('pointerdown', mark);
      window.removeEventListener('keydown', mark);
    };
  }, []);
  useEffect(() => {
    if (!auth || !api || auth.mustChange) return;
    const check = setInterval(() => {
      if (!active.current || auth.expiresAt - Date.now() > auth.lifetimeMs / 3) return;
      active.current = false;
      api.post('/admin/session/renew').then(
        (result) => setAuth(authFrom(result)),
        () => undefined,
      );
    }, RENEW_CHECK_MS);
    const expire = setTimeout(() => logout('Your session ended after a time without use; sign in again.'), Math.max(0, auth.expiresAt - Date.now()));
    return () => {
      clearInterval(check);
      clearTimeout(expire);
    };
  }, [auth, api, logout]);

  const onLogin = (result: TokenResponse) => {
    setNotice(undefined);
    active.current = false;
    setAuth(authFrom(result));
  };
  if (resuming && !auth) return null;
  return (
    <Router>
      {session ? (
        <SessionContext.Provider value={session}>
          <Shell />
        </SessionContext.Provider>
      ) : api && auth?.mustChange ? (
        <FirstPassword api={api} onChanged={() => logout('Your password is set; sign in with it.')} />
      ) : (
        <LoginPage onLogin={onLogin} notice={notice} />
      )}
    </Router>
  );
}

/** Signed in with a one-time password: choosing one's own is the only thing the token allows. */
function FirstPassword({ api, onChanged }: { api: ApiClient; onChanged(): void }) {
  return (
    <main className="login" id="main">
      <PasswordForm api={api} onChanged={onChanged} title="Choose your password" />
    </main>
  );
}

function Shell() {
  const { path, navigate } = useRouter();
  const { user } = useSession();
  const section = path.split('/')[1] || 'integrations';
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    if (path === '/') navigate('/integrations');
  }, [path, navigate]);
  // Moving focus to the page on navigation tells screen-reader users the page changed.
  useEffect(() => main.current?.focus(), [section]);
  const Page = PAGES[section];
  const routes = ROUTES.filter((route) => !('role' in route) || roleAtLeast(user?.role, route.role));
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header>
        <span className="brand">Tessera</span>
        <nav aria-label="Console">
          <ul>
            {routes.map((route) => (
              <li key={route.path}>
                <Link to={route.path}>{route.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        {user && (
          <span className="signed-in-as">
            Signed in as <strong>{user.username}</strong> ({user.role})
          </span>
        )}
        <SignOut />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {Page ? <Page /> : <p>Nothing here. Choose a page above.</p>}
      </main>
    </div>
  );
}

/** Ends the session on the server (revoked at once, not left to expire), then here. */
function SignOut() {
  const { api, logout } = useSession();
  const signOut = async () => {
    await api.post('/admin/logout').catch(() => undefined);
    logout('You signed out.');
  };
  return (
    <button type="button" className="sign-out" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiClient, type LoginResult } from './api/client';
import { ActivityPage } from './pages/activity/ActivityPage';
import { InstancesPage } from './pages/instances/InstancesPage';
import { IntegrationsPage } from './pages/integrations/IntegrationsPage';
import { LoginPage } from './pages/LoginPage';
import { ProvidersPage } from './pages/providers/ProvidersPage';
import { OutboundTokensPage } from './pages/tokens/OutboundTokensPage';
import { Link, ROUTES, Router, useRouter } from './router';
import { SessionContext, type Session } from './session';

const PAGES: Record<string, () => React.JSX.Element> = {
  integrations: IntegrationsPage,
  instances: InstancesPage,
  providers: ProvidersPage,
  tokens: OutboundTokensPage,
  activity: ActivityPage,
};

export function App() {
  const [auth, setAuth] = useState<{ token: string; expiresAt: number }>();
  const [notice, setNotice] = useState<string>();
  const logout = useCallback((reason?: string) => {
    setAuth(undefined);
    setNotice(reason);
  }, []);
  const session = useMemo<Session | null>(() => auth
    ? { api: new ApiClient(auth.token, () => logout('Your session ended; sign in again.')), expiresAt: auth.expiresAt, logout }
    : null, [auth, logout]);
  useEffect(() => {
    if (!auth) return;
    const timer = setTimeout(() => logout('Your session expired; sign in again.'), Math.max(0, auth.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [auth, logout]);
  const onLogin = (result: LoginResult) => {
    setNotice(undefined);
    setAuth({ token: result.access_token, expiresAt: Date.now() + result.expires_in * 1000 });
  };
  return (
    <Router>
      {session ? <SessionContext.Provider value={session}><Shell /></SessionContext.Provider> : <LoginPage onLogin={onLogin} notice={notice} />}
    </Router>
  );
}

function Shell() {
  const { path, navigate } = useRouter();
  const section = path.split('/')[1] || 'integrations';
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    if (path === '/') navigate('/integrations');
  }, [path, navigate]);
  // Moving focus to the page on navigation tells screen-reader users the page changed.
  useEffect(() => main.current?.focus(), [section]);
  const Page = PAGES[section];
  return (
    <div className="shell">
      <a href="#main" className="skip-link">Skip to content</a>
      <header>
        <span className="brand">Tessera</span>
        <nav aria-label="Console">
          <ul>{ROUTES.map((route) => <li key={route.path}><Link to={route.path}>{route.label}</Link></li>)}</ul>
        </nav>
        <SignOut />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {Page ? <Page /> : <p>Nothing here. Choose a page above.</p>}
      </main>
    </div>
  );
}

function SignOut() {
  return (
    <SessionContext.Consumer>
      {(session) => <button type="button" className="sign-out" onClick={() => session?.logout('You signed out.')}>Sign out</button>}
    </SessionContext.Consumer>
  );
}

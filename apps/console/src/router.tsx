import { createContext, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const BASE = '/console';

export const ROUTES = [
  { path: '/integrations', label: 'Integrations' },
  { path: '/instances', label: 'Platform instances' },
  { path: '/providers', label: 'Providers' },
  { path: '/tokens', label: 'Outbound tokens' },
  { path: '/webhooks', label: 'Webhooks', role: 'admin' },
  { path: '/ssf', label: 'Shared Signals', role: 'operator' },
  { path: '/activity', label: 'Activity' },
  { path: '/audit', label: 'Audit', role: 'admin' },
  { path: '/users', label: 'Users', role: 'owner' },
  { path: '/account', label: 'Account' },
] as const satisfies readonly { path: string; label: string; role?: 'operator' | 'admin' | 'owner' }[];

/** The app's path under /console (`/integrations`), from the browser's location. */
function currentPath(pathname = window.location.pathname): string {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return path.replace(/\/+$/, '') || '/';
}

const RouterContext = createContext<{ path: string; navigate(path: string): void }>({ path: '/', navigate: () => undefined });

export function useRouter() {
  return useContext(RouterContext);
}

export function Router({ children }: { children: React.ReactNode }) {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (to: string) => {
    window.history.pushState(null, '', `${BASE}${to}`);
    setPath(to);
  };
  return <RouterContext.Provider value={{ path, navigate }}>{children}</RouterContext.Provider>;
}

/** A real link (middle-click, copy link) that navigates in the app on a plain click. */
export function Link({ to, ...props }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { path, navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={`${BASE}${to}`} onClick={onClick} aria-current={path.startsWith(to) ? 'page' : undefined} {...props} />;
}

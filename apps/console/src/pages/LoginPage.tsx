import type { TokenResponse } from '@tessera/contracts';
import { login } from '../api/client';
import { FormError, TextField } from '../components/forms';
import { useForm } from '../components/useForm';

export function LoginPage({ onLogin, notice }: { onLogin(result: TokenResponse): void; notice?: string }) {
  const { bind, submit, busy, error } = useForm({ username: 'admin', password: '' }, async ({ username, password }) =>
    onLogin(await login(username, password)),
  );
  return (
    <main className="login" id="main">
      <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Tessera console</h1>
        <p>Sign in with the platform's admin account.</p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <FormError error={error} shownFields={['username', 'password']} />
        <TextField {...bind('username')} label="Username" name="username" autoComplete="username" required />
        <TextField {...bind('password')} label="Password" name="password" type="password" autoComplete="current-password" required autoFocus />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Your session lives in this tab only: reloading or closing it signs you out.</p>
      </form>
    </main>
  );
}

import { useState } from 'react';
import type { TokenResponse } from '@tessera/contracts';
import { login } from '../api/client';
import { fieldErrors, FormError, TextField } from '../components/forms';
import { useFormSubmit } from '../components/useFormSubmit';

export function LoginPage({ onLogin, notice }: { onLogin(result: TokenResponse): void; notice?: string }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const { submit, busy, error } = useFormSubmit(async () => onLogin(await login(username, password)));
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
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          errors={fieldErrors(error, 'username')}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={fieldErrors(error, 'password')}
          required
          autoFocus
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">Your session lives in this tab only: reloading or closing it signs you out.</p>
      </form>
    </main>
  );
}

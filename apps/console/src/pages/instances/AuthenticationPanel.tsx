import { useState } from 'react';
import type { PlatformInstanceView } from '../../api/types';
import { isNotAvailable } from '../../components/common';
import { FormError, TextField } from '../../components/forms';
import { useForm } from '../../components/useForm';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../session';

interface Draft {
  type: 'oauth' | 'password';
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/** How this platform authenticates to the instance: the client credentials the instance issued, or a username and password. */
export function AuthenticationPanel({ instance, onSaved, onUnavailable }: { instance: PlatformInstanceView; onSaved(): void; onUnavailable(): void }) {
  const { api } = useSession();
  const [saved, setSaved] = useState(false);
  const currentApp = instance.auth.type === 'oauth' ? instance.auth.clientAppId : undefined;
  const { data: clientApp } = useLoad(
    () => (currentApp ? api.get('/admin/providers/:id', { params: { id: currentApp } }).catch(() => undefined) : Promise.resolve(undefined)),
    [api, currentApp],
  );
  const form = useForm<Draft>(
    { type: instance.auth.type === 'password' ? 'password' : 'oauth', clientId: '', clientSecret: '', username: instance.auth.username ?? '', password: '' },
    async ({ type, clientId, clientSecret, username, password }) => {
      setSaved(false);
      try {
        if (type === 'oauth') {
          let clientAppId = currentApp;
          if (clientId || clientSecret || !clientAppId) {
            // The outbound client app holds the credentials the instance issued; its endpoints come from the instance's
            // RFC 8414 metadata. A new client app replaces the token held so far.
            // No secret: private_key_jwt, signed with this platform's client key (the instance registered its JWKS URL).
            const app = await api.post('/admin/instances/:id/client-app', {
              params: { id: instance.id },
              body: { clientId: clientId.trim(), ...(clientSecret ? { clientSecret } : {}) },
            });
            clientAppId = app.id;
          }
          await api.patch('/admin/instances/:id', { params: { id: instance.id }, body: { auth: { type: 'oauth', clientAppId } } });
        } else {
          await api.patch('/admin/instances/:id', { params: { id: instance.id }, body: { auth: { type: 'password', username, password } } });
        }
      } catch (err) {
        // A 404 for the route itself: this server has no platform-to-platform trust API; the page says so instead.
        if (isNotAvailable(err)) return onUnavailable();
        throw err;
      }
      form.reset((draft) => ({ ...draft, clientId: '', clientSecret: '', password: '' }));
      setSaved(true);
      onSaved();
    },
  );
  const { values, set, bind } = form;
  const shown = ['clientId', 'clientSecret', 'auth.clientAppId', 'auth.username', 'auth.password'];
  return (
    <form className="panel" aria-labelledby="auth-title" onSubmit={(e) => void form.submit(e)} noValidate>
      <h2 id="auth-title">How this platform authenticates to {instance.name}</h2>
      <fieldset>
        <legend>Authentication</legend>
        <label>
          <input type="radio" name="auth-type" value="oauth" checked={values.type === 'oauth'} onChange={() => set('type', 'oauth')} /> Use OAuth-based
          authentication
        </label>
        <label>
          <input type="radio" name="auth-type" value="password" checked={values.type === 'password'} onChange={() => set('type', 'password')} /> Username and
          password
        </label>
      </fieldset>
      <FormError error={form.error} shownFields={shown} />
      {values.type === 'oauth' ? (
        <>
          {currentApp && (
            <p data-testid="client-app">
              Client app: <strong>{clientApp?.name ?? currentApp}</strong>
              {clientApp && (
                <>
                  {' '}
                  — client ID <code>{clientApp.clientId}</code>, token URL <code>{clientApp.tokenUrl}</code>, authenticating with{' '}
                  <strong data-testid="client-app-auth-method">
                    {clientApp.clientAuthMethod === 'private_key_jwt'
                      ? "private_key_jwt (this platform's key, no shared secret)"
                      : `${clientApp.clientAuthMethod} (a shared secret)`}
                  </strong>
                </>
              )}
              . Leave the fields blank to keep it; a new client ID (and secret) replaces it, and the token held so far.
            </p>
          )}
          <div className="grid-2">
            <TextField
              {...bind('clientId', { field: ['clientId', 'auth.clientAppId'] })}
              label="Client ID"
              hint={`The application ID of the integration created on ${instance.name} for this platform.`}
              autoComplete="off"
            />
            <TextField
              {...bind('clientSecret')}
              label="Client secret"
              type="password"
              autoComplete="new-password"
              hint={`Stored encrypted; never shown again. Leave it blank when ${instance.name} registered this platform's keys (private_key_jwt).`}
            />
          </div>
        </>
      ) : (
        <div className="grid-2">
          <TextField {...bind('username', { field: 'auth.username' })} label="Username" autoComplete="off" />
          <TextField
            {...bind('password', { field: 'auth.password' })}
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="Stored encrypted; never shown again."
          />
        </div>
      )}
      <div className="actions">
        <button type="submit">Save authentication</button>
        {saved && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}

import { useState, type FormEvent } from 'react';
import type { InstanceWithAuth, IntegrationWithSecret } from '../../api/types';
import { ErrorBanner, isNotAvailable, NotAvailable, StateBadge, Time } from '../../components/common';
import { fieldErrors, FormError, TextField } from '../../components/forms';
import { SecretOnce } from '../../components/SecretOnce';
import { useLoad } from '../../components/useLoad';
import { Link } from '../../router';
import { useSession } from '../../session';

export function InstanceDetail({ id }: { id: string }) {
  const { api } = useSession();
  const { data: instance, error, reload } = useLoad(() => api.get<InstanceWithAuth>(`/admin/instances/${id}`), [api, id]);
  const [unavailable, setUnavailable] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [authorizationUrl, setAuthorizationUrl] = useState<string>();
  const [integration, setIntegration] = useState<IntegrationWithSecret>();

  if (integration) return <SecretOnce integration={integration} onDone={() => setIntegration(undefined)} />;
  if (error) return <><p><Link to="/instances">← Platform instances</Link></p><ErrorBanner error={error} /></>;
  if (!instance) return <p aria-busy="true">Loading…</p>;

  /** Runs a P2PI action; a 404 for the route itself means this server has no platform-to-platform trust API yet. */
  const act = async <T,>(run: () => Promise<T>): Promise<T | undefined> => {
    setActionError(undefined);
    try {
      return await run();
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setActionError(err);
      return undefined;
    }
  };
  const request = async () => {
    const reply = await act(() => api.post<{ authorizationUrl: string }>(`/admin/instances/${id}/authorize`));
    if (reply) setAuthorizationUrl(reply.authorizationUrl);
  };
  const deauthorize = async () => {
    await act(async () => { await api.post(`/admin/instances/${id}/deauthorize`); reload(); });
  };
  const createIntegration = async () => {
    const created = await act(() => api.post<IntegrationWithSecret>(`/admin/instances/${id}/integration`));
    if (created) setIntegration(created);
  };

  return (
    <>
      <p><Link to="/instances">← Platform instances</Link></p>
      <h1>{instance.name}</h1>
      <section className="panel" aria-label="Instance">
        <dl className="facts">
          <dt>Base URL</dt><dd><code>{instance.baseUrl}</code></dd>
          <dt>Authentication</dt><dd>{instance.auth ? (instance.auth.type === 'oauth' ? 'OAuth' : `password (${instance.auth.username})`) : 'not set'}</dd>
          <dt>Token</dt><dd><StateBadge state={instance.state} /></dd>
          <dt>Expires</dt><dd><Time iso={instance.expiresAt} /></dd>
          <dt>Scope</dt><dd>{instance.scope ?? '—'}</dd>
          <dt>Last message</dt><dd>{instance.lastMessage ?? '—'}</dd>
          <dt>Registered</dt><dd><Time iso={instance.createdAt} /></dd>
        </dl>
      </section>
      {unavailable ? <NotAvailable feature="Platform-to-platform trust" api={`/admin/instances/${id}/…`} /> : (
        <>
          <ErrorBanner error={actionError} />
          <AuthenticationForm instance={instance} onSaved={reload} onUnavailable={() => setUnavailable(true)} />
          <section className="panel" aria-labelledby="request-title">
            <h2 id="request-title">Authorization</h2>
            <p>The "request" link runs the OAuth flow: an admin of {instance.name} logs in and consents there, and the token is kept fresh here.</p>
            <div className="actions">
              <button type="button" className="primary" onClick={() => void request()}>Request</button>
              <button type="button" onClick={() => void deauthorize()}>Deauthorize</button>
              <button type="button" onClick={() => void createIntegration()}>Create its integration on this platform</button>
            </div>
            {authorizationUrl && <p><a href={authorizationUrl} target="_blank" rel="noopener noreferrer">Open the authorization page on {instance.name}</a> (opens in a new tab), then come back and reload.</p>}
          </section>
        </>
      )}
    </>
  );
}

function AuthenticationForm({ instance, onSaved, onUnavailable }: { instance: InstanceWithAuth; onSaved(): void; onUnavailable(): void }) {
  const { api } = useSession();
  const [type, setType] = useState<'oauth' | 'password'>(instance.auth?.type ?? 'oauth');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      if (type === 'oauth') {
        // The outbound client app holds the credentials Instance 2 issued; its endpoints come from Instance 2's metadata.
        const app = await api.post<{ id: string }>(`/admin/instances/${instance.id}/client-app`, { clientId, clientSecret });
        await api.patch(`/admin/instances/${instance.id}`, { auth: { type: 'oauth', clientAppId: app.id } });
      } else {
        await api.patch(`/admin/instances/${instance.id}`, { auth: { type: 'password', username, password } });
      }
      setClientSecret('');
      setPassword('');
      onSaved();
    } catch (err) {
      if (isNotAvailable(err)) onUnavailable();
      else setError(err);
    }
  };
  return (
    <form className="panel" aria-labelledby="auth-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="auth-title">How this platform authenticates to {instance.name}</h2>
      <fieldset>
        <legend>Authentication</legend>
        <label><input type="radio" name="auth-type" value="oauth" checked={type === 'oauth'} onChange={() => setType('oauth')} /> Use OAuth-based authentication</label>
        <label><input type="radio" name="auth-type" value="password" checked={type === 'password'} onChange={() => setType('password')} /> Username and password</label>
      </fieldset>
      <FormError error={error} shownFields={['clientId', 'clientSecret', 'username', 'password', 'auth']} />
      {type === 'oauth' ? (
        <div className="grid-2">
          <TextField label="Client ID" value={clientId} onChange={(e) => setClientId(e.target.value)} errors={fieldErrors(error, 'clientId')} hint={`The application ID of the integration created on ${instance.name} for this platform.`} autoComplete="off" />
          <TextField label="Client secret" type="password" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} errors={fieldErrors(error, 'clientSecret')} autoComplete="new-password" hint="Stored encrypted; never shown again." />
        </div>
      ) : (
        <div className="grid-2">
          <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} errors={fieldErrors(error, 'username').concat(fieldErrors(error, 'auth.username'))} autoComplete="off" />
          <TextField label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} errors={fieldErrors(error, 'password').concat(fieldErrors(error, 'auth.password'))} autoComplete="new-password" hint="Stored encrypted; never shown again." />
        </div>
      )}
      <button type="submit">Save authentication</button>
    </form>
  );
}

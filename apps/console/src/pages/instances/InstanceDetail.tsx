import { useState, type FormEvent } from 'react';
import type { InstanceAuthView, IntegrationWithSecret, PlatformInstanceView } from '../../api/types';
import { ErrorBanner, isNotAvailable, Loading, NotAvailable, StateBadge, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { fieldErrors, FormError, TextField } from '../../components/forms';
import { SecretOnce } from '../../components/SecretOnce';
import { useLoad } from '../../components/useLoad';
import { usePolling } from '../../components/usePolling';
import { Link, useRouter } from '../../router';
import { useSession } from '../../session';

export function authLabel(auth: InstanceAuthView | undefined): string {
  if (!auth || auth.type === 'none') return 'not set';
  return auth.type === 'oauth' ? 'OAuth' : `password (${auth.username ?? '?'})`;
}

export function InstanceDetail({ id }: { id: string }) {
  const { api } = useSession();
  const { navigate } = useRouter();
  const { data: instance, error, reload } = useLoad(() => api.get('/admin/instances/:id', { params: { id } }), [api, id]);
  const [unavailable, setUnavailable] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [authorizationUrl, setAuthorizationUrl] = useState<string>();
  const [integration, setIntegration] = useState<IntegrationWithSecret>();
  // The token's updatedAt when an action started: the page polls until the record moves on from it (the token arrives
  // from the other platform's consent page, or the broker's revocation reaches the record).
  const [waitingFrom, setWaitingFrom] = useState<{ updatedAt: string | null }>();
  const waiting = Boolean(waitingFrom && instance && (instance.token?.updatedAt ?? null) === waitingFrom.updatedAt);
  usePolling(waiting, reload);

  if (integration) return <SecretOnce integration={integration} onDone={() => setIntegration(undefined)} />;
  if (error)
    return (
      <>
        <p>
          <Link to="/instances">← Platform instances</Link>
        </p>
        <ErrorBanner error={error} />
      </>
    );
  if (!instance) return <Loading what="the instance" />;

  /** Runs a P2PI action; a 404 for the route itself means this server has no platform-to-platform trust API yet. */
  const act = async <T,>(run: () => Promise<T>): Promise<T | undefined> => {
    setActionError(undefined);
    try {
      return await run();
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setActionError(err);
      return undefined;
    } finally {
      reload();
    }
  };
  const from = { updatedAt: instance.token?.updatedAt ?? null };
  const request = async () => {
    const reply = await act(() => api.post('/admin/instances/:id/authorize', { params: { id } }));
    if (!reply) return;
    setAuthorizationUrl(reply.authorizationUrl);
    setWaitingFrom(from);
  };
  const deauthorize = async () => {
    const reply = await act(() => api.post('/admin/instances/:id/deauthorize', { params: { id } }));
    if (!reply) return;
    setAuthorizationUrl(undefined);
    // The reply can predate the broker's revocation event reaching the record: keep reading until it does.
    if (reply.token?.state !== 'revoked') setWaitingFrom(from);
  };
  const remove = async () => {
    setActionError(undefined);
    try {
      await api.delete('/admin/instances/:id', { params: { id } });
      navigate('/instances');
    } catch (err) {
      setActionError(err);
    }
  };
  const createIntegration = async () => {
    const created = await act(() => api.post('/admin/instances/:id/integration', { params: { id } }));
    if (created) setIntegration(created);
  };
  const token = instance.token;
  const oauth = instance.auth.type === 'oauth' && Boolean(instance.auth.clientAppId);

  return (
    <>
      <p>
        <Link to="/instances">← Platform instances</Link>
      </p>
      <div className="page-header">
        <h1>{instance.name}</h1>
        <ConfirmButton label="Delete instance" title={`Delete platform instance ${instance.name}?`} onConfirm={remove}>
          {token && token.state !== 'revoked' ? <>This platform's OAuth token for {instance.name} is revoked there (RFC 7009) and forgotten here. </> : null}
          Its outbound token and client app on this platform are deleted, and any stored password is forgotten; calls to /proxy/instances/{instance.name}/… stop
          at once. The integration {instance.name} uses to call this platform is not touched: delete it under Integrations if it should go too.
        </ConfirmButton>
      </div>
      <section className="panel" aria-label="Instance">
        <dl className="facts">
          <dt>Base URL</dt>
          <dd>
            <code>{instance.baseUrl}</code>
          </dd>
          <dt>Authentication</dt>
          <dd data-testid="instance-auth">{authLabel(instance.auth)}</dd>
          <dt>Registered</dt>
          <dd>
            <Time iso={instance.createdAt} />
          </dd>
        </dl>
      </section>
      {unavailable ? (
        <NotAvailable feature="Platform-to-platform trust" api={`/admin/instances/${id}/…`} />
      ) : (
        <>
          <ErrorBanner error={actionError} />
          <AuthenticationForm instance={instance} onSaved={reload} onUnavailable={() => setUnavailable(true)} />
          <section className="panel" aria-labelledby="request-title">
            <h2 id="request-title">OAuth token</h2>
            {token ? (
              <dl className="facts" aria-label="Token held for this instance">
                <dt>State</dt>
                <dd data-testid="instance-token-state">
                  <StateBadge state={token.state} />
                </dd>
                <dt>Expires</dt>
                <dd>{token.state === 'valid' ? <Time iso={token.expiresAt} /> : '—'}</dd>
                <dt>Scope</dt>
                <dd>{token.scope ?? '—'}</dd>
                <dt>Last message</dt>
                <dd className="message">{token.lastMessage ?? '—'}</dd>
                <dt>Updated</dt>
                <dd>
                  <Time iso={token.updatedAt} />
                </dd>
                <dt>Outbound token</dt>
                <dd>
                  <code>{token.tokenId}</code>
                </dd>
              </dl>
            ) : (
              <p data-testid="instance-token-state">No token yet.</p>
            )}
            <p>
              {oauth ? (
                <>The "request" link runs the OAuth flow: an admin of {instance.name} signs in and consents there, and the token is kept fresh here.</>
              ) : (
                <>Choose "Use OAuth-based authentication" with the client ID and secret {instance.name} issued to this platform, then request a token.</>
              )}
            </p>
            <div className="actions">
              <button type="button" className="primary" onClick={() => void request()} disabled={!oauth}>
                Request
              </button>
              <ConfirmButton
                label="Deauthorize"
                className=""
                title={`Revoke this platform's token for ${instance.name}?`}
                disabled={!token || token.state === 'revoked'}
                onConfirm={deauthorize}
              >
                The token is revoked at {instance.name} (RFC 7009) and forgotten here: calls to /proxy/instances/{instance.name}/… fail until an admin of{' '}
                {instance.name} consents again through "Request".
              </ConfirmButton>
              <button type="button" onClick={() => void createIntegration()}>
                Create its integration on this platform
              </button>
            </div>
            {authorizationUrl && (
              <p className="notice" role="status">
                <a href={authorizationUrl} target="_blank" rel="noopener noreferrer" data-testid="authorization-link">
                  Open the authorization page on {instance.name}
                </a>{' '}
                (new tab).
                {waiting ? ' This page updates once you have consented there.' : ''}
              </p>
            )}
          </section>
        </>
      )}
    </>
  );
}

function AuthenticationForm({ instance, onSaved, onUnavailable }: { instance: PlatformInstanceView; onSaved(): void; onUnavailable(): void }) {
  const { api } = useSession();
  const [type, setType] = useState<'oauth' | 'password'>(instance.auth.type === 'password' ? 'password' : 'oauth');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [username, setUsername] = useState(instance.auth.username ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const currentApp = instance.auth.type === 'oauth' ? instance.auth.clientAppId : undefined;
  const { data: clientApp } = useLoad(
    () => (currentApp ? api.get('/admin/providers/:id', { params: { id: currentApp } }).catch(() => undefined) : Promise.resolve(undefined)),
    [api, currentApp],
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      if (type === 'oauth') {
        let clientAppId = currentApp;
        if (clientId || clientSecret || !clientAppId) {
          // The outbound client app holds the credentials the instance issued; its endpoints come from the instance's
          // RFC 8414 metadata. A new client app replaces the token held so far.
          const app = await api.post('/admin/instances/:id/client-app', { params: { id: instance.id }, body: { clientId: clientId.trim(), clientSecret } });
          clientAppId = app.id;
        }
        await api.patch('/admin/instances/:id', { params: { id: instance.id }, body: { auth: { type: 'oauth', clientAppId } } });
      } else {
        await api.patch('/admin/instances/:id', { params: { id: instance.id }, body: { auth: { type: 'password', username, password } } });
      }
      setClientId('');
      setClientSecret('');
      setPassword('');
      setSaved(true);
      onSaved();
    } catch (err) {
      if (isNotAvailable(err)) onUnavailable();
      else setError(err);
    }
  };
  const shown = ['clientId', 'clientSecret', 'auth.clientAppId', 'auth.username', 'auth.password'];
  return (
    <form className="panel" aria-labelledby="auth-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="auth-title">How this platform authenticates to {instance.name}</h2>
      <fieldset>
        <legend>Authentication</legend>
        <label>
          <input type="radio" name="auth-type" value="oauth" checked={type === 'oauth'} onChange={() => setType('oauth')} /> Use OAuth-based authentication
        </label>
        <label>
          <input type="radio" name="auth-type" value="password" checked={type === 'password'} onChange={() => setType('password')} /> Username and password
        </label>
      </fieldset>
      <FormError error={error} shownFields={shown} />
      {type === 'oauth' ? (
        <>
          {currentApp && (
            <p data-testid="client-app">
              Client app: <strong>{clientApp?.name ?? currentApp}</strong>
              {clientApp && (
                <>
                  {' '}
                  — client ID <code>{clientApp.clientId}</code>, token URL <code>{clientApp.tokenUrl}</code>
                </>
              )}
              . Leave the fields blank to keep it; a new client ID and secret replace it (and the token held so far).
            </p>
          )}
          <div className="grid-2">
            <TextField
              label="Client ID"
              value={clientId}
              onChange={(e) => setClientId(e.target.value)}
              errors={fieldErrors(error, 'clientId').concat(fieldErrors(error, 'auth.clientAppId'))}
              hint={`The application ID of the integration created on ${instance.name} for this platform.`}
              autoComplete="off"
            />
            <TextField
              label="Client secret"
              type="password"
              value={clientSecret}
              onChange={(e) => setClientSecret(e.target.value)}
              errors={fieldErrors(error, 'clientSecret')}
              autoComplete="new-password"
              hint="Stored encrypted; never shown again."
            />
          </div>
        </>
      ) : (
        <div className="grid-2">
          <TextField
            label="Username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            errors={fieldErrors(error, 'auth.username')}
            autoComplete="off"
          />
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            errors={fieldErrors(error, 'auth.password')}
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

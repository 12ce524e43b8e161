import { useEffect, useState, type FormEvent } from 'react';
import type { IntegrationWithSecret, RefreshTokenFamilyView } from '../../api/types';
import { EmptyState, ErrorBanner, Loading, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { fieldErrors, FormError, TextField } from '../../components/forms';
import { SecretOnce } from '../../components/SecretOnce';
import { useAction } from '../../components/useAction';
import { useLoad } from '../../components/useLoad';
import { Link, useRouter } from '../../router';
import { beyondRole } from '@tessera/permissions';
import { useSession } from '../../session';
import { IntegrationForm } from './IntegrationForm';
import { usePermissionSuggestions } from './IntegrationsPage';

export function IntegrationDetail({ id }: { id: string }) {
  const { api, user } = useSession();
  const { navigate } = useRouter();
  const suggestions = usePermissionSuggestions();
  const { data: integration, error, reload } = useLoad(() => api.get('/admin/integrations/:id', { params: { id } }), [api, id]);
  const [editing, setEditing] = useState(false);
  const [rotated, setRotated] = useState<IntegrationWithSecret>();
  // Bumped after every change to the integration: its live tokens are re-read too (disabling revokes them).
  const [tokensGeneration, setTokensGeneration] = useState(0);
  const action = useAction(reload, () => setTokensGeneration((g) => g + 1));

  if (rotated)
    return (
      <SecretOnce
        integration={rotated}
        rotated
        onDone={() => {
          setRotated(undefined);
          reload();
          setTokensGeneration((g) => g + 1);
        }}
      />
    );
  if (error)
    return (
      <>
        <p>
          <Link to="/integrations">← Integrations</Link>
        </p>
        <ErrorBanner error={error} />
      </>
    );
  if (!integration) return <Loading what="the integration" />;

  // What this role may not hand on, it may not re-open or re-key either: only taking away (disable, delete) is left.
  const beyond = user?.role ? beyondRole(user.role, integration.permissions) : [];
  const setEnabled = (enabled: boolean) => action.run(() => api.patch('/admin/integrations/:id', { params: { id }, body: { enabled } }));
  const remove = async () => {
    const deleted = await action.run(async () => {
      await api.delete('/admin/integrations/:id', { params: { id } });
      return true;
    });
    if (deleted) navigate('/integrations');
  };

  return (
    <>
      <p>
        <Link to="/integrations">← Integrations</Link>
      </p>
      <div className="page-header">
        <h1>{integration.name}</h1>
        <span className={`badge ${integration.enabled ? 'state-valid' : 'state-inactive'}`}>{integration.enabled ? 'enabled' : 'disabled'}</span>
      </div>
      <ErrorBanner error={action.error} />
      {editing ? (
        <IntegrationForm
          initial={integration}
          suggestions={suggestions}
          submitLabel="Save changes"
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            await api.patch('/admin/integrations/:id', { params: { id }, body });
            setEditing(false);
            reload();
            setTokensGeneration((g) => g + 1);
          }}
        />
      ) : (
        <section className="panel" aria-label="Settings">
          <dl className="facts">
            <dt>Application ID</dt>
            <dd>
              <code>{integration.applicationId}</code>
            </dd>
            <dt>Permissions</dt>
            <dd>
              {integration.permissions.map((p) => (
                <code className="chip small" key={p}>
                  {p}
                </code>
              ))}
            </dd>
            <dt>Redirect URIs</dt>
            <dd>{integration.redirectUris.length ? integration.redirectUris.join(', ') : 'none (client credentials only)'}</dd>
            <dt>Allowed grants</dt>
            <dd>
              {(integration.grantTypes ?? []).map((g) => (
                <code className="chip small" key={g}>
                  {g}
                </code>
              ))}
            </dd>
            <dt>Access token lifetime</dt>
            <dd>{integration.accessTokenTtlSeconds} s</dd>
            <dt>Refresh token reuse interval</dt>
            <dd>{integration.refreshTokenReuseIntervalSeconds ? `${integration.refreshTokenReuseIntervalSeconds} s` : 'off'}</dd>
            <dt>Refresh tokens</dt>
            <dd>
              {integration.refreshTokensValidUntilRevoked ? 'valid until revoked' : 'expire 28 days after issue'}
              {integration.refreshTokensOnClientCredentials ? '' : '; none on client_credentials'}
            </dd>
            <dt>Token quota</dt>
            <dd>{integration.clientCredentialsTokensPerHour ? `${integration.clientCredentialsTokensPerHour} client_credentials tokens per hour` : 'none'}</dd>
            <dt>Created</dt>
            <dd>
              <Time iso={integration.createdAt} />
            </dd>
          </dl>
          {beyond.length > 0 && (
            <p className="hint">
              It holds {beyond.join(', ')}, beyond your role ({user?.role}): you may disable or delete it; changing it or its secret needs a higher role.
            </p>
          )}
          <div className="actions">
            {!beyond.length && (
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
            {integration.enabled ? (
              <ConfirmButton label="Disable" title={`Disable ${integration.name}?`} onConfirm={() => setEnabled(false)}>
                Every live token of {integration.name} is revoked at once, and its applications get no new ones until it is enabled again. Its ID and secret are
                kept.
              </ConfirmButton>
            ) : (
              !beyond.length && (
                <button type="button" onClick={() => void setEnabled(true)}>
                  Enable
                </button>
              )
            )}
            <ConfirmButton label="Delete" title={`Delete ${integration.name}?`} onConfirm={remove}>
              Every live token of {integration.name} is revoked at once and its application ID and secret stop working for good. This cannot be undone.
            </ConfirmButton>
          </div>
        </section>
      )}
      {!beyond.length && <RotateSecret id={id} onRotated={setRotated} />}
      <LiveTokens id={id} generation={tokensGeneration} />
    </>
  );
}

function RotateSecret({ id, onRotated }: { id: string; onRotated(result: IntegrationWithSecret): void }) {
  const { api } = useSession();
  const [grace, setGrace] = useState('3600');
  const [error, setError] = useState<unknown>();
  const immediate = grace.trim() === '0';
  const rotate = async () => {
    setError(undefined);
    try {
      onRotated(await api.post('/admin/integrations/:id/secret', { params: { id }, body: { graceSeconds: Number(grace || 0) } }));
    } catch (err) {
      setError(err);
    }
  };
  // Without a grace period the rotation is destructive: it goes through the confirmation, not a bare Enter.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!immediate) void rotate();
  };
  return (
    <form className="panel" aria-labelledby="rotate-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="rotate-title">Rotate secret</h2>
      <p>Issues a new application secret. The old one keeps working for the grace period, so clients can be redeployed without downtime.</p>
      <FormError error={error} shownFields={['graceSeconds']} />
      <TextField
        label="Grace period (seconds)"
        type="number"
        min={0}
        max={2592000}
        value={grace}
        onChange={(e) => setGrace(e.target.value)}
        errors={fieldErrors(error, 'graceSeconds')}
        hint="0 ends the old secret at once; at most 30 days (2592000)."
      />
      {immediate ? (
        <ConfirmButton label="Rotate secret" className="" title="Rotate the secret with no grace period?" onConfirm={rotate}>
          The old secret stops working at once and the access tokens issued before are revoked: every application still using it fails until it has the new one.
        </ConfirmButton>
      ) : (
        <button type="submit">Rotate secret</button>
      )}
    </form>
  );
}

const LIVE_TOKENS_PAGE = 100;

/** The live grants a page at a time (the API pages by cursor), with one-by-one revocation and "revoke all". */
function LiveTokens({ id, generation }: { id: string; generation: number }) {
  const { api } = useSession();
  const { data, error, reload } = useLoad(
    () => api.get('/admin/integrations/:id/tokens', { params: { id }, query: { limit: LIVE_TOKENS_PAGE } }),
    [api, id, generation],
  );
  const [more, setMore] = useState<{ items: RefreshTokenFamilyView[]; nextCursor: string | null }>();
  const [revokeError, setRevokeError] = useState<unknown>();
  useEffect(() => setMore(undefined), [data]);
  const items = [...(data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.get('/admin/integrations/:id/tokens', { params: { id }, query: { limit: LIVE_TOKENS_PAGE, cursor: nextCursor } });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (err) {
      setRevokeError(err);
    }
  };
  const action = useAction(reload);
  const revoke = (familyId: string) => action.run(() => api.delete('/admin/integrations/:id/tokens/:familyId', { params: { id, familyId } }));
  const revokeAll = () => action.run(() => api.delete('/admin/integrations/:id/tokens', { params: { id } }));
  return (
    <section className="panel" aria-labelledby="tokens-title">
      <div className="page-header">
        <h2 id="tokens-title">Live tokens</h2>
        <div className="row">
          <button type="button" onClick={reload}>
            Refresh list
          </button>
          <ConfirmButton label="Revoke all" title="Revoke every token of this integration?" onConfirm={revokeAll}>
            Every grant and every access token issued to it so far stops working at once; its applications must get new ones with their ID and secret.
          </ConfirmButton>
        </div>
      </div>
      <ErrorBanner error={action.error ?? error ?? revokeError} />
      {!data && !error && <Loading what="live tokens" />}
      {data && items.length === 0 && (
        <EmptyState title="No live tokens">Tokens appear here once the application gets one from the token endpoint with its ID and secret.</EmptyState>
      )}
      {items.length > 0 && (
        <table>
          <caption className="visually-hidden">Live refresh-token families</caption>
          <thead>
            <tr>
              <th scope="col">Grant</th>
              <th scope="col">Scope</th>
              <th scope="col">Issued</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((family) => (
              <tr key={family.id} data-testid="token-family">
                <td>{family.grantType.replace(/_/g, ' ')}</td>
                <td>
                  {family.scope.split(' ').map((s) => (
                    <code className="chip small" key={s}>
                      {s}
                    </code>
                  ))}
                </td>
                <td>
                  <Time iso={family.createdAt} />
                </td>
                <td>
                  <Time iso={family.lastUsedAt} />
                </td>
                <td>{family.expiresAt ? <Time iso={family.expiresAt} /> : 'when revoked'}</td>
                <td>
                  <ConfirmButton
                    label="Revoke"
                    ariaLabel={`Revoke token issued ${new Date(family.createdAt).toLocaleString()}`}
                    title="Revoke this token?"
                    onConfirm={() => revoke(family.id)}
                  >
                    Its refresh token and every access token issued from it ({family.grantType.replace(/_/g, ' ')}, {family.scope}) stop working at once.
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" onClick={() => void loadMore()}>
          Show more
        </button>
      )}
    </section>
  );
}

import { useState } from 'react';
import { TOKEN_STATES, type OutboundTokenView, type TokenState } from '../../api/types';
import { EmptyState, ErrorBanner, isNotAvailable, NotAvailable, StateBadge, Time } from '../../components/common';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/useAction';
import { useLoad } from '../../components/useLoad';
import { usePolling } from '../../components/usePolling';
import { useSession } from '../../session';
import { CreateToken } from './CreateToken';
import { EditToken } from './EditToken';
import { primaryAction, revokeConsequences, shownState, type TokenAction } from './token-actions';

const PAGE_SIZE = 20;

export function OutboundTokensPage() {
  const { api } = useSession();
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState<TokenState | ''>('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<OutboundTokenView>();
  // The token whose authorization page is open elsewhere, and its updatedAt then: the list is re-read until it changes.
  const [authorizing, setAuthorizing] = useState<{ id: string; name: string; url: string; updatedAt: string }>();
  const { data, error, reload } = useLoad(
    () => api.get('/admin/tokens', { query: { limit: PAGE_SIZE, offset, state: state || undefined } }),
    [api, offset, state],
  );
  const { data: providers } = useLoad(() => api.get('/admin/providers', { query: { limit: 500 } }).catch(() => undefined), [api]);
  const action = useAction(reload);
  const providerOf = (id: string) => providers?.items.find((p) => p.id === id);
  const pending = authorizing && data?.items.find((t) => t.id === authorizing.id);
  const awaitingConsent = Boolean(pending && pending.updatedAt === authorizing?.updatedAt);
  usePolling(awaitingConsent, reload);
  if (isNotAvailable(error))
    return (
      <>
        <h1>Outbound tokens</h1>
        <NotAvailable feature="The outbound token broker" api="/admin/tokens" />
      </>
    );
  if (creating)
    return (
      <>
        <h1>New outbound token</h1>
        <CreateToken
          onDone={() => {
            setCreating(false);
            reload();
          }}
        />
      </>
    );
  if (editing) {
    const done = () => {
      setEditing(undefined);
      reload();
    };
    return (
      <>
        <h1>Outbound tokens</h1>
        <EditToken token={editing} grantType={providerOf(editing.providerId)?.grantType} onDone={done} onCancel={() => setEditing(undefined)} />
      </>
    );
  }

  const act = (token: OutboundTokenView, verb: TokenAction | 'revoke') =>
    action.run(async () => {
      const reply = await api.post(`/admin/tokens/:id/${verb}`, { params: { id: token.id } });
      if (verb === 'authorize' && reply && 'authorizationUrl' in reply)
        setAuthorizing({ id: token.id, name: token.name, url: reply.authorizationUrl, updatedAt: token.updatedAt });
    });
  const remove = (token: OutboundTokenView) => action.run(() => api.delete('/admin/tokens/:id', { params: { id: token.id } }));
  const upcoming = (data?.items ?? []).filter((t) => t.nextRefreshAt).sort((a, b) => a.nextRefreshAt!.localeCompare(b.nextRefreshAt!));
  return (
    <>
      <div className="page-header">
        <h1>Outbound tokens</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New outbound token
        </button>
      </div>
      <p>Tokens this platform holds for third-party APIs, kept fresh by the broker.</p>
      <form className="filters" role="search" aria-label="Filter outbound tokens" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="token-state">State</label>
        <select
          id="token-state"
          value={state}
          onChange={(e) => {
            setState(e.target.value as TokenState | '');
            setOffset(0);
          }}
        >
          <option value="">All</option>
          {TOKEN_STATES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </form>
      <ErrorBanner error={action.error ?? error} />
      {authorizing && awaitingConsent && (
        <p className="notice" role="status">
          <a href={authorizing.url} target="_blank" rel="noopener noreferrer" data-testid="authorization-link">
            Open the provider's authorization page for {authorizing.name}
          </a>{' '}
          (new tab); this list updates once you have consented.
        </p>
      )}
      <ResourceTable
        rows={data?.items}
        error={error}
        loading="outbound tokens"
        caption="Outbound tokens"
        scroll
        rowKey={(token) => token.id}
        rowProps={(token) => ({ 'data-testid': 'outbound-token', 'data-name': token.name, 'data-state': token.state })}
        columns={[
          {
            header: 'Name',
            className: 'name',
            cell: (token) => (
              <>
                {token.name}
                {token.scope && <div className="hint">{token.scope}</div>}
                {token.platformInstance && <div className="hint">for platform instance {token.platformInstance}</div>}
              </>
            ),
          },
          { header: 'Provider', cell: (token) => providerOf(token.providerId)?.name ?? '—' },
          {
            header: 'State',
            cell: (token) => (
              <>
                <StateBadge state={shownState(token)} />
                {token.consecutiveFailures > 0 && <div className="hint">{token.consecutiveFailures} failed attempts</div>}
              </>
            ),
          },
          { header: 'Expires', cell: (token) => (token.state === 'valid' || token.state === 'refreshing' ? <Time iso={token.expiresAt} /> : '—') },
          { header: 'Last refresh', cell: (token) => <Time iso={token.lastRefreshedAt} /> },
          { header: 'Last message', className: 'message', cell: (token) => token.lastMessage ?? token.lastTransientError ?? '—' },
        ]}
        actions={(token) => {
          const provider = providerOf(token.providerId);
          const primary = primaryAction(token, provider?.grantType);
          return (
            <>
              {primary && (
                <button type="button" onClick={() => void act(token, primary.action)} aria-label={`${primary.label} for ${token.name}`} disabled={action.busy}>
                  {primary.label}
                </button>
              )}
              <button type="button" onClick={() => setEditing(token)} aria-label={`Edit ${token.name}`}>
                Edit
              </button>
              <ConfirmButton
                label="Revoke"
                ariaLabel={`Revoke ${token.name}`}
                title={`Revoke ${token.name}?`}
                disabled={token.state === 'revoked'}
                onConfirm={() => act(token, 'revoke')}
              >
                {revokeConsequences(token, provider?.name ?? 'the provider', provider?.grantType)}
              </ConfirmButton>
              {!token.platformInstance && (
                <ConfirmButton label="Delete" ariaLabel={`Delete ${token.name}`} title={`Delete ${token.name}?`} onConfirm={() => remove(token)}>
                  Services lose /tokens/{token.name} and /proxy/{token.name}/… at once, and the name is free again. The provider is not told: revoke first to
                  end the grant there too.
                </ConfirmButton>
              )}
            </>
          );
        }}
        empty={
          <EmptyState title={state ? 'No token in this state' : 'No outbound tokens yet'}>
            {state
              ? 'Choose another state.'
              : 'Create one for a provider with New outbound token; for authorization-code providers, then use "Get authorization token".'}
          </EmptyState>
        }
        page={data && { ...data, label: 'Outbound tokens', onChange: setOffset }}
      />
      {upcoming.length > 0 && (
        <section className="panel" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Upcoming refreshes</h2>
          <ol className="timeline">
            {upcoming.map((token) => (
              <li key={token.id}>
                <Time iso={token.nextRefreshAt} /> — <strong>{token.name}</strong> (expires <Time iso={token.expiresAt} />)
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
